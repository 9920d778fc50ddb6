using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Versions;
using SupplyChainMesh.Persistence.Feeds;

namespace SupplyChainMesh.FeedSync.Matching;

/// <summary>
/// The matcher over the store's current records. Built once the start-up sync has run and rebuilt after every import
/// that changed something; readers always see a complete index (the reference is swapped, never patched in place).
/// </summary>
public sealed class MatcherHolder(FeedStore store, ILogger<MatcherHolder> logger)
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile Matcher? _matcher;

    public DateTimeOffset? LoadedAt { get; private set; }

    /// <summary>The matcher, once the first index is loaded (consumers wait rather than match against nothing).</summary>
    public async Task<Matcher> WhenReadyAsync(CancellationToken cancellationToken)
    {
        await _ready.Task.WaitAsync(cancellationToken);
        return _matcher!;
    }

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var index = await store.LoadIndexAsync(VersionSchemes.ForOsvEcosystem, cancellationToken);
        Use(index);
        logger.LogInformation("Vulnerability index loaded from the store: {Advisories} advisories, {Packages} package keys, {Ratings} NVD ratings, KEV {Kev}, in {Seconds:F1}s",
            index.AdvisoryCount, index.PackageCount, index.RatingCount, index.Kev.Count, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Swaps in an index built elsewhere (readers keep the one they hold).</summary>
    public void Use(VulnerabilityIndex index)
    {
        _matcher = new Matcher(index);
        LoadedAt = DateTimeOffset.UtcNow;
        _ready.TrySetResult();
    }
}

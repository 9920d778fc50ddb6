using MassTransit;
using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.FeedSync.Matching;

/// <summary>
/// Continuous monitoring: after a feed change, re-matches only the stored packages whose key the change affected (no
/// rescan, no download), replaces their findings, and for every image whose findings changed publishes ONE
/// <see cref="NewVulnerabilitiesFound"/> (when ids are new since its last report) and a fresh <see cref="ImageAssessed"/>
/// per tag it is known under, so policies are re-evaluated.
/// </summary>
public sealed class ImageRematcher(ImageReportStore store, MatcherHolder holder, IBus bus, ILogger<ImageRematcher> logger)
{
    public const string Trigger = "feed-update";

    /// <param name="keys">Package keys the change affected; null re-matches every stored package.</param>
    public async Task<RematchOutcome> RematchAsync(IReadOnlyCollection<string>? keys, CancellationToken cancellationToken)
    {
        var matcher = await holder.WhenReadyAsync(cancellationToken);
        var outcome = await store.RematchAsync(keys, matcher.Match, Trigger, cancellationToken);
        logger.LogInformation("Re-matched {Keys} package keys: {Statistics}; {Changed} images have new reports",
            keys?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all", outcome.Statistics, outcome.Changed.Count);
        return outcome;
    }

    public async Task RematchAndPublishAsync(string source, IReadOnlyCollection<string>? keys, CancellationToken cancellationToken)
    {
        var changed = (await RematchAsync(keys, cancellationToken)).Changed;
        var now = DateTimeOffset.UtcNow;
        foreach (var (image, report) in changed)
        {
            if (report.NewIds.Count > 0)
            {
                await bus.Publish(new NewVulnerabilitiesFound
                {
                    Image = image.Identity(image.FirstTag),
                    VulnerabilityIds = report.NewIds,
                    Source = source,
                    FoundAt = now,
                }, cancellationToken);
            }
            string?[] tags = image.Tags.Count == 0 ? [null] : [.. image.Tags];
            foreach (var tag in tags)
                await bus.Publish(Assessed(image.Identity(tag), report, Trigger), cancellationToken);
        }
    }

    public static ImageAssessed Assessed(ImageIdentity image, ReportHeader report, string trigger) => new()
    {
        Image = image,
        ReportId = report.ReportId,
        Counts = report.Counts,
        KevCount = report.KevCount,
        FixableCount = report.FixableCount,
        AssessedAt = report.CreatedAt,
        Trigger = trigger,
    };
}

using System.Collections.Concurrent;
using System.Globalization;
using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Nvd;
using SupplyChainMesh.Persistence.Feeds;

namespace SupplyChainMesh.FeedSync.Feeds;

/// <summary>
/// Synchronises an NVD CVE API 2.0 source (<see cref="FeedSourceDefinition.Nvd"/>) through <see cref="NvdClient"/>
/// (paging, <c>apiKey</c>, NVD's rate limit, back-off on 403/429/5xx). The first sync, or a forced one, pages through every
/// CVE; later ones ask only for the CVEs modified since the recorded watermark (<c>lastModStartDate</c>
/// .. now, in windows of at most 120 days) and are increments: records not served are left as they are. The watermark
/// is the time the sync started, committed with the last batch of records, so a failed sync asks for the same window again.
/// </summary>
public sealed class NvdFeedSync(IHttpClientFactory httpClients, FeedStore store, TimeProvider time)
{
    public const string HttpClientName = "nvd";

    // One client per source: NVD's rate limit is per key (or address) and must hold across syncs.
    private readonly ConcurrentDictionary<string, NvdClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IReadOnlyList<FeedImportResult>> SyncAsync(FeedSourceDefinition source, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var options = source.Nvd ?? throw new ArgumentException($"Feed source '{source.Name}' is not an NVD API source.", nameof(source));
        var client = _clients.GetOrAdd(source.Name, _ => new NvdClient(httpClients.CreateClient(HttpClientName), options, time));
        // NVD dates carry milliseconds: the watermark is cut to them so the next lastModStartDate is exactly it.
        var now = time.GetUtcNow();
        var started = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        var previous = force ? null : await store.WatermarkAsync(source.Name, cancellationToken);
        var since = ParseWatermark(previous);
        var problems = new FeedProblemList();
        var pages = since is { } from ? client.GetModifiedAsync(from, started, problems, cancellationToken) : client.GetAllAsync(problems, cancellationToken);

        // Committed in batches, so the whole NVD is never in memory at once. A batch before the last keeps the window's
        // start as its resume point ("<since>#<n>"): an interrupted sync asks for the same window again (a first sync
        // starts over), and records already stored are recognised as unchanged. Only the last batch moves the watermark.
        // NVD never drops a CVE (it marks it Rejected, which withdraws it), so no batch is a snapshot.
        var results = new List<FeedImportResult>();
        var records = new List<Advisory>();
        await foreach (var cve in pages)
        {
            records.Add(cve);
            if (records.Count < source.NvdRecordsPerCommit) continue;
            var partial = new FeedBatch(source.Name, source.Name, $"{(since is { } s ? FormatWatermark(s) : "")}#{results.Count + 1}@{FormatWatermark(started)}", Snapshot: false);
            results.Add(await store.ImportAsync(partial, records, [], cancellationToken));
            records.Clear();
        }
        var last = new FeedBatch(source.Name, source.Name, FormatWatermark(started), Snapshot: false);
        results.Add(await store.ImportAsync(last, records, problems.Problems, cancellationToken));
        return results;
    }

    public static string FormatWatermark(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    /// <summary>The time to ask for changes from: a complete sync's watermark, or the resume point of an interrupted one
    /// (the part before <c>#</c>); null means everything.</summary>
    public static DateTimeOffset? ParseWatermark(string? watermark) =>
        DateTimeOffset.TryParseExact(watermark?.Split('#')[0], "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
}

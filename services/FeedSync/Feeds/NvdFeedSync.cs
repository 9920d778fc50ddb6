using System.Collections.Concurrent;
using System.Globalization;
using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Nvd;
using SupplyChainMesh.Persistence.Feeds;

namespace SupplyChainMesh.FeedSync.Feeds;

/// <summary>
/// Synchronises an NVD CVE API 2.0 source (<see cref="FeedSourceDefinition.Nvd"/>) through <see cref="NvdClient"/>
/// (paging, <c>apiKey</c>, NVD's rate limit, back-off on 403/429/5xx). The first sync, or a forced one, pages through every
/// CVE and is a snapshot; later ones ask only for the CVEs modified since the recorded watermark (<c>lastModStartDate</c>
/// .. now, in windows of at most 120 days) and are increments: records not served are left as they are. The watermark
/// is the time the sync started, committed with the records, so a failed sync asks for the same window again.
/// </summary>
public sealed class NvdFeedSync(IHttpClientFactory httpClients, FeedStore store, TimeProvider time)
{
    public const string HttpClientName = "nvd";

    // One client per source: NVD's rate limit is per key (or address) and must hold across syncs.
    private readonly ConcurrentDictionary<string, NvdClient> _clients = new(StringComparer.OrdinalIgnoreCase);

    public async Task<FeedImportResult> SyncAsync(FeedSourceDefinition source, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var options = source.Nvd ?? throw new ArgumentException($"Feed source '{source.Name}' is not an NVD API source.", nameof(source));
        var client = _clients.GetOrAdd(source.Name, _ => new NvdClient(httpClients.CreateClient(HttpClientName), options, time));
        // NVD dates carry milliseconds: the watermark is cut to them so the next lastModStartDate is exactly it.
        var now = time.GetUtcNow();
        var started = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        var since = force ? null : ParseWatermark(await store.WatermarkAsync(source.Name, cancellationToken));
        var problems = new FeedProblemList();
        var records = new List<Advisory>();
        var pages = since is { } from ? client.GetModifiedAsync(from, started, problems, cancellationToken) : client.GetAllAsync(problems, cancellationToken);
        await foreach (var cve in pages) records.Add(cve);
        var batch = new FeedBatch(source.Name, source.Name, FormatWatermark(started), Snapshot: since is null);
        return await store.ImportAsync(batch, records, problems.Problems, cancellationToken);
    }

    public static string FormatWatermark(DateTimeOffset at) => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseWatermark(string? watermark) =>
        DateTimeOffset.TryParseExact(watermark, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : null;
}

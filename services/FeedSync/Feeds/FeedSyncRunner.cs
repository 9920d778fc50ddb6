using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.FeedSync.Infrastructure;
using SupplyChainMesh.FeedSync.Matching;
using SupplyChainMesh.FeedSync.Model;
using SupplyChainMesh.Persistence.Feeds;

namespace SupplyChainMesh.FeedSync.Feeds;

/// <summary>
/// Synchronises one source: imports its files (mirror) or its download (HTTP) batch by batch, records the attempt and
/// the outcome in <c>feed_sources</c>, and when something changed rebuilds the matcher's index, publishes
/// <see cref="FeedUpdated"/> and re-matches the stored images the change affects, once for the whole sync (one burst).
/// One sync at a time: imports and re-matches never interleave.
/// </summary>
public sealed class FeedSyncRunner(
    FeedSourceCatalog catalog,
    FeedStore store,
    FeedFileImporter importer,
    HttpFeedDownloader downloader,
    NvdFeedSync nvd,
    MatcherHolder matcher,
    ImageRematcher rematcher,
    IServiceScopeFactory scopes,
    IBus bus,
    ILogger<FeedSyncRunner> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public void Dispose() => _gate.Dispose();

    /// <summary>Synchronises the named sources one after the other, then, when anything changed, rebuilds the index once,
    /// publishes <see cref="FeedUpdated"/> per changed source and re-matches the affected images once (one burst: one
    /// notification per image). A source that fails is recorded and the others go on.</summary>
    public async Task<IReadOnlyList<FeedImportResult>> SyncAsync(IReadOnlyCollection<string> names, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(names);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var all = new List<FeedImportResult>();
            foreach (var name in names)
            {
                try
                {
                    all.AddRange(await ImportSourceAsync(name, force, cancellationToken));
                }
                catch (FeedImportException)
                {
                    // Recorded in the source's state; the other sources still synchronise.
                }
            }
            var changed = all.Where(r => r.ChangedSomething).ToList();
            if (changed.Count == 0 && matcher.LoadedAt is not null) return all;

            await matcher.ReloadAsync(cancellationToken);
            if (changed.Count == 0) return all;
            foreach (var bySource in changed.GroupBy(r => r.Source, StringComparer.Ordinal))
            {
                await bus.Publish(new FeedUpdated
                {
                    Source = bySource.Key,
                    Added = bySource.Sum(r => r.Added),
                    Changed = bySource.Sum(r => r.Changed),
                    Withdrawn = bySource.Sum(r => r.Withdrawn),
                    ImportedAt = DateTimeOffset.UtcNow,
                }, cancellationToken);
            }
            // A changed KEV or EPSS document names the packages of the records of the CVEs it changed: only those re-match.
            var keys = changed.SelectMany(r => r.AffectedKeys).ToHashSet(StringComparer.Ordinal);
            await rematcher.RematchAndPublishAsync(string.Join(",", changed.Select(r => r.Source).Distinct(StringComparer.Ordinal)), keys, cancellationToken);
            return all;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IReadOnlyList<FeedImportResult>> ImportSourceAsync(string name, bool force, CancellationToken cancellationToken)
    {
        var source = catalog.Find(name) ?? throw new KeyNotFoundException($"No feed source '{name}' is configured.");
        var started = DateTimeOffset.UtcNow;
        await UpdateStateAsync(name, s => s.LastAttemptAt = started, cancellationToken);
        IReadOnlyList<FeedImportResult> results;
        try
        {
            results = source.Nvd is not null ? await nvd.SyncAsync(source, force, cancellationToken)
                : source.Url is not null ? await DownloadAndImportAsync(source, force, cancellationToken)
                : await importer.ImportFolderAsync(source.Name, MirrorRootOf(source), source.Folder!, force, cancellationToken);
        }
        catch (Exception ex) when (ex is FeedImportException or IOException or HttpRequestException or UnauthorizedAccessException or Npgsql.NpgsqlException
            or Analysis.Nvd.NvdRequestException)
        {
            logger.LogError(ex, "Feed source {Source} could not be synchronised", name);
            await UpdateStateAsync(name, s => s.LastError = ex.Message, cancellationToken);
            throw new FeedImportException($"Feed source '{name}': {ex.Message}", ex);
        }

        var summary = (await store.SummariesAsync(cancellationToken)).GetValueOrDefault(name);
        await UpdateStateAsync(name, s =>
        {
            s.LastSuccessAt = DateTimeOffset.UtcNow;
            s.LastError = null;
            if (summary is not null)
            {
                s.RecordCount = summary.Records;
                s.MalformedCount = summary.Malformed;
                s.NewestRecordAt = summary.NewestRecord;
            }
        }, cancellationToken);
        var changed = results.Where(r => r.ChangedSomething).ToList();
        logger.LogInformation("Feed source {Source}: {Feeds} feeds, {Changed} changed ({Added} added, {Modified} modified, {Withdrawn} withdrawn), {Malformed} malformed records",
            name, results.Count, changed.Count, changed.Sum(r => r.Added), changed.Sum(r => r.Changed), changed.Sum(r => r.Withdrawn), results.Sum(r => r.Malformed));
        return results;
    }

    private static string MirrorRootOf(FeedSourceDefinition source) =>
        source.MirrorRoot ?? Path.GetDirectoryName(Path.GetFullPath(source.Folder!))!;

    private async Task<IReadOnlyList<FeedImportResult>> DownloadAndImportAsync(FeedSourceDefinition source, bool force, CancellationToken cancellationToken)
    {
        string? etag = null;
        DateTimeOffset? lastModified = null;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<FeedDbContext>();
            if (!force && await db.Sources.AsNoTracking().SingleOrDefaultAsync(s => s.Name == source.Name, cancellationToken) is { Watermark: { } w })
                (etag, lastModified) = HttpWatermark.Parse(w);
        }
        var target = Path.Combine(Path.GetTempPath(), $"scm-feed-{source.Name}-{Guid.NewGuid():N}");
        try
        {
            var download = await downloader.DownloadAsync(source.Url!, target, etag, lastModified, cancellationToken);
            if (download.NotModified) return [FeedImportResult.Skipped(new FeedBatch(source.Name, source.Name, HttpWatermark.Format(etag, lastModified)))];
            var result = await importer.ImportFileAsync(source.Name, source.Name, source.Format!.Value, download.File!, force, cancellationToken);
            await UpdateStateAsync(source.Name, s => s.Watermark = HttpWatermark.Format(download.ETag, download.LastModified), cancellationToken);
            return [result];
        }
        finally
        {
            if (File.Exists(target)) File.Delete(target);
        }
    }

    private async Task UpdateStateAsync(string name, Action<FeedSource> change, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedDbContext>();
        var state = await db.Sources.SingleOrDefaultAsync(s => s.Name == name, cancellationToken);
        if (state is null) db.Sources.Add(state = new FeedSource { Name = name });
        change(state);
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>The HTTP validators of a source's last download, kept as its watermark: <c>etag|last-modified</c>.</summary>
public static class HttpWatermark
{
    public static string Format(string? etag, DateTimeOffset? lastModified) =>
        $"{etag}|{lastModified?.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}";

    public static (string? ETag, DateTimeOffset? LastModified) Parse(string watermark)
    {
        ArgumentNullException.ThrowIfNull(watermark);
        var bar = watermark.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0) return (null, null);
        var etag = bar > 0 ? watermark[..bar] : null;
        var date = watermark[(bar + 1)..];
        return (etag, DateTimeOffset.TryParse(date, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var d) ? d : null);
    }
}

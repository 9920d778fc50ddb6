using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.FeedSync.Infrastructure;

namespace SupplyChainMesh.FeedSync.Feeds;

/// <summary>
/// Runs each source on its own schedule: at start-up every source that is due (never synchronised, or its interval
/// passed), then the matcher's index is loaded; afterwards every tick the due ones, and at once whatever
/// <c>POST /api/feeds/{source}/sync</c> asks for. Sources due together form one burst (one re-match).
/// </summary>
public sealed class FeedScheduler(FeedSourceCatalog catalog, FeedSyncRunner runner, IServiceScopeFactory scopes,
    Microsoft.Extensions.Options.IOptions<FeedSyncOptions> options, ILogger<FeedScheduler> logger) : BackgroundService
{
    private readonly Channel<(string Source, bool Force)> _requests = Channel.CreateUnbounded<(string, bool)>();

    /// <summary>Asks for a sync of <paramref name="source"/> now; false when no such source is configured.</summary>
    public bool Request(string source, bool force)
    {
        if (catalog.Find(source) is not { } found) return false;
        return _requests.Writer.TryWrite((found.Name, force));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var due = await DueAsync(stoppingToken);
                var force = false;
                while (_requests.Reader.TryRead(out var request))
                {
                    if (!due.Contains(request.Source, StringComparer.OrdinalIgnoreCase)) due.Add(request.Source);
                    force |= request.Force;
                }
                await runner.SyncAsync(due, force, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Feed synchronisation failed; trying again at the next tick");
            }
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            tick.CancelAfter(options.Value.SchedulerTick);
            try
            {
                await _requests.Reader.WaitToReadAsync(tick.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                // The tick.
            }
        }
    }

    private async Task<List<string>> DueAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FeedDbContext>();
        var attempts = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.Name, s => s.LastAttemptAt, StringComparer.OrdinalIgnoreCase, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        return catalog.All
            .Where(s => attempts.GetValueOrDefault(s.Name) is not { } last || now - last >= s.Interval)
            .Select(s => s.Name)
            .ToList();
    }
}

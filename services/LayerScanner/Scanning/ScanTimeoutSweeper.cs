using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.LayerScanner.Infrastructure;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>
/// Finds scans that made no progress for <c>Scanner:LayerTimeoutSeconds</c> (default 600: a layer is retried by its
/// worker for well under that) and tells their saga. The deadline lives in the database (the scan's last update), not
/// in a timer of one process, so it survives restarts and needs no broker scheduler plugin; several processes may
/// sweep at once, the saga ignores a stale or repeated notice. The saga re-sends the missing layers, then fails.
/// </summary>
public sealed class ScanTimeoutSweeper(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, ILogger<ScanTimeoutSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timeout = TimeSpan.FromSeconds(configuration.GetValue("Scanner:LayerTimeoutSeconds", 600.0));
        var interval = TimeSpan.FromSeconds(configuration.GetValue("Scanner:TimeoutSweepSeconds", 30.0));
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested) return;
            try
            {
                await SweepAsync(timeout, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Scan timeout sweep failed; trying again in {Interval}", interval);
            }
        }
    }

    private async Task SweepAsync(TimeSpan timeout, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScannerDbContext>();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var before = time.GetUtcNow() - timeout;
        var stalled = await db.Scans.AsNoTracking()
            .Where(s => s.CurrentState == "Scanning" && s.UpdatedAt < before)
            .OrderBy(s => s.UpdatedAt).Select(s => s.CorrelationId).Take(500).ToListAsync(ct);
        foreach (var id in stalled)
        {
            logger.LogWarning("Scan {ScanId} made no progress for {Timeout}", id, timeout);
            await publisher.Publish(new ScanTimedOut { ScanId = id, Timeout = timeout }, ct);
        }
    }
}

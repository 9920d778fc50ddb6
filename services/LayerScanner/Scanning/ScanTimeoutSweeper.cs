using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.LayerScanner.Infrastructure;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.LayerScanner.Scanning;

/// <summary>
/// Finds scans that made no progress for <c>Scanner:LayerTimeoutSeconds</c> (default 600: a layer is retried by its
/// worker for well under that) and tells their saga. The deadline lives in the database (the scan's last update), not
/// in a timer of one process, so it survives restarts and needs no broker scheduler plugin; several processes may
/// sweep at once, the saga ignores a stale or repeated notice. The saga re-sends the missing layers, then fails.
/// Every <c>Scanner:TimeoutSweepSeconds</c> (30).
/// </summary>
public sealed class ScanTimeoutSweeper(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, ILogger<ScanTimeoutSweeper> logger)
    : PeriodicSweep(scopes, time, logger)
{
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(configuration.GetValue("Scanner:LayerTimeoutSeconds", 600.0));

    protected override TimeSpan Interval => TimeSpan.FromSeconds(configuration.GetValue("Scanner:TimeoutSweepSeconds", 30.0));

    protected override string What => "stalled scans";

    protected override async Task SweepAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var db = services.GetRequiredService<ScannerDbContext>();
        var publisher = services.GetRequiredService<IPublishEndpoint>();
        var before = Time.GetUtcNow() - _timeout;
        var stalled = await db.Scans.AsNoTracking()
            .Where(s => s.CurrentState == "Scanning" && s.UpdatedAt < before)
            .OrderBy(s => s.UpdatedAt).Select(s => s.CorrelationId).Take(500).ToListAsync(cancellationToken);
        foreach (var id in stalled)
        {
            Logger.LogWarning("Scan {ScanId} made no progress for {Timeout}", id, _timeout);
            await publisher.Publish(new ScanTimedOut { ScanId = id, Timeout = _timeout }, cancellationToken);
        }
    }
}

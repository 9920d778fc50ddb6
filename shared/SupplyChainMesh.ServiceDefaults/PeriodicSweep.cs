using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SupplyChainMesh.ServiceDefaults;

/// <summary>
/// A background job that wakes every <see cref="Interval"/> and runs one <see cref="SweepAsync"/> in a fresh DI scope.
/// A failed sweep (database or broker away) is logged and the next tick tries again: the job must outlive outages,
/// since what it looks for stays in the database until a sweep succeeds.
/// </summary>
public abstract class PeriodicSweep(IServiceScopeFactory scopes, TimeProvider time, ILogger logger) : BackgroundService
{
    /// <summary>How long to wait before each sweep (read once, at start).</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>What the sweep looks for, for the log (e.g. "expired exceptions").</summary>
    protected abstract string What { get; }

    /// <summary>One sweep, with <paramref name="services"/> of a scope of its own.</summary>
    protected abstract Task SweepAsync(IServiceProvider services, CancellationToken cancellationToken);

    protected TimeProvider Time => time;

    protected ILogger Logger => logger;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = Interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(interval, time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (stoppingToken.IsCancellationRequested) return;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await SweepAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Sweep for {What} failed; trying again in {Interval}", What, interval);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: a sweep cut short (cancelled, or its connection torn down) is no failure.
                return;
            }
        }
    }
}

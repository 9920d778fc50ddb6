using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SupplyChainMesh.Persistence.Startup;

/// <summary>
/// Applies the service's checked-in migrations at start-up, before the bus starts consuming, waiting for PostgreSQL to
/// answer (it may start after us under compose or Kubernetes). Several replicas starting at once are safe: EF Core 9+
/// takes a migration lock.
/// </summary>
public sealed class DatabaseMigrator<TDbContext>(IServiceProvider services, ILogger<DatabaseMigrator<TDbContext>> logger) : IHostedLifecycleService
    where TDbContext : DbContext
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
                await db.Database.MigrateAsync(cancellationToken);
                logger.LogInformation("Database of {DbContext} is migrated", typeof(TDbContext).Name);
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException && DateTime.UtcNow < deadline)
            {
                logger.LogWarning(ex, "PostgreSQL not reachable yet (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.PolicyEngine.Infrastructure;

namespace SupplyChainMesh.PolicyEngine.Reevaluation;

/// <summary>
/// An exception stops applying by itself when it expires; this makes the verdicts that rested on it change then too.
/// Every <c>PolicyEngine:ExpiryCheckSeconds</c> (30) it publishes a <see cref="PolicyInputsChanged"/> for each exception
/// that expired since the last look (a day back at start, so a restart misses none). The message id is derived from
/// the exception, so the notices of several replicas, or of a restart, are one message to the inbox.
/// </summary>
public sealed class ExceptionExpiryWatcher(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, ILogger<ExceptionExpiryWatcher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromSeconds(configuration.GetValue("PolicyEngine:ExpiryCheckSeconds", 30.0));
        var since = time.GetUtcNow() - TimeSpan.FromDays(1);
        using var timer = new PeriodicTimer(interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                since = await PublishExpiredAsync(since, stoppingToken);
            }
            catch (Exception ex) when (ex is DbUpdateException or Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning(ex, "Looking for expired exceptions failed; trying again in {Interval}", interval);
            }
        }
    }

    private async Task<DateTimeOffset> PublishExpiredAsync(DateTimeOffset since, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
        var expired = await db.Exceptions.AsNoTracking().Where(e => e.ExpiresAt > since && e.ExpiresAt <= now).ToListAsync(ct);
        var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        foreach (var exception in expired)
        {
            var notice = PolicyChanges.Exception(exception, "expired", exception.ExpiresAt!.Value);
            await publish.Publish(notice, c => c.MessageId = DeterministicId.For("exception-expired", $"{exception.Id}@{exception.ExpiresAt:O}"), ct);
            logger.LogInformation("Exception {Id} for {Vulnerability} expired at {ExpiresAt}", exception.Id, exception.VulnerabilityId, exception.ExpiresAt);
        }
        return now;
    }
}

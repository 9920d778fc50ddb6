using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.PolicyEngine.Reevaluation;

/// <summary>
/// An exception stops applying by itself when it expires; this makes the verdicts that rested on it change then too.
/// Every <c>PolicyEngine:ExpiryCheckSeconds</c> (30) it publishes a <see cref="PolicyInputsChanged"/> for each exception
/// that expired since the last look (a day back at start, so a restart misses none). The message id is derived from
/// the exception, so the notices of several replicas, or of a restart, are one message to the inbox.
/// </summary>
public sealed class ExceptionExpiryWatcher(IServiceScopeFactory scopes, IConfiguration configuration, TimeProvider time, ILogger<ExceptionExpiryWatcher> logger)
    : PeriodicSweep(scopes, time, logger)
{
    // Only the sweep loop touches it, one sweep at a time; a failed sweep leaves it, so the next one looks again.
    private DateTimeOffset _since = time.GetUtcNow() - TimeSpan.FromDays(1);

    protected override TimeSpan Interval => TimeSpan.FromSeconds(configuration.GetValue("PolicyEngine:ExpiryCheckSeconds", 30.0));

    protected override string What => "expired exceptions";

    protected override async Task SweepAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var db = services.GetRequiredService<PolicyDbContext>();
        var expired = await db.Exceptions.AsNoTracking().Where(e => e.ExpiresAt > _since && e.ExpiresAt <= now).ToListAsync(cancellationToken);
        var publish = services.GetRequiredService<IPublishEndpoint>();
        foreach (var exception in expired)
        {
            var notice = PolicyChanges.Exception(exception, "expired", exception.ExpiresAt!.Value);
            await publish.Publish(notice, c => c.MessageId = DeterministicId.For("exception-expired", $"{exception.Id}@{exception.ExpiresAt:O}"), cancellationToken);
            Logger.LogInformation("Exception {Id} for {Vulnerability} expired at {ExpiresAt}", exception.Id, exception.VulnerabilityId, exception.ExpiresAt);
        }
        _since = now;
    }
}

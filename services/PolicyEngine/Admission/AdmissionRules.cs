using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.Policy.Serialization;
using SupplyChainMesh.PolicyEngine.Infrastructure;

namespace SupplyChainMesh.PolicyEngine.Admission;

/// <summary>
/// The admission controller over the stored rules, built once and rebuilt after a rule changes (or after
/// <see cref="VerdictCache.TimeToLive"/>, so a change made through another replica arrives too).
/// </summary>
public sealed class AdmissionRules(IServiceScopeFactory scopes, TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _current;

    public async ValueTask<AdmissionController> ControllerAsync(CancellationToken ct)
    {
        if (_current is { } current && current.Expires > time.GetUtcNow()) return current.Controller;
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } again && again.Expires > time.GetUtcNow()) return again.Controller;
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
            var documents = await db.AdmissionRules.AsNoTracking().OrderBy(r => r.Name).Select(r => r.Document).ToListAsync(ct);
            var controller = new AdmissionController(documents.Select(d => PolicyJson.Deserialize<AdmissionRule>(d, "admission rule")));
            _current = new Snapshot(controller, time.GetUtcNow() + VerdictCache.TimeToLive);
            return controller;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Invalidate() => _current = null;

    public void Dispose() => _gate.Dispose();

    private sealed record Snapshot(AdmissionController Controller, DateTimeOffset Expires);
}

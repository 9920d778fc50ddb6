using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.Policy.Serialization;
using SupplyChainMesh.PolicyEngine.Infrastructure;

namespace SupplyChainMesh.PolicyEngine.Admission;

/// <summary>
/// The admission controller over the stored rules, built once and rebuilt after a rule changes (or after
/// <see cref="VerdictCache.TimeToLive"/>, so a change made through another replica arrives too). Never throws: when the
/// database does not answer, the rules loaded last keep serving (their own fail-open/closed then governs the verdict
/// lookups, which fail too); before any load succeeded, and for a stored rule that no longer deserialises, the
/// controller carries an <see cref="AdmissionRulesProblem"/> with the configured
/// <see cref="AdmissionOptions.WhenRulesUnavailable"/>.
/// </summary>
public sealed partial class AdmissionRules(IServiceScopeFactory scopes, TimeProvider time, IOptions<AdmissionOptions> options, ILogger<AdmissionRules> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _current;
    private volatile AdmissionController? _lastLoaded;

    public async ValueTask<AdmissionController> ControllerAsync(CancellationToken ct)
    {
        if (_current is { } current && current.Expires > time.GetUtcNow()) return current.Controller;
        await _gate.WaitAsync(ct);
        try
        {
            if (_current is { } again && again.Expires > time.GetUtcNow()) return again.Controller;
            var settings = options.Value;
            AdmissionController controller;
            TimeSpan keep;
            try
            {
                controller = await LoadAsync(settings, ct);
                _lastLoaded = controller;
                keep = VerdictCache.TimeToLive;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                var why = ex is OperationCanceledException ? $"the database did not answer within {settings.StoreTimeout.TotalSeconds:0.#} s" : ex.Message;
                LogLoadFailed(logger, why, _lastLoaded is not null, ex);
                controller = _lastLoaded ?? new AdmissionController([], new AdmissionRulesProblem($"the admission rules cannot be loaded ({why})", settings.WhenRulesUnavailable));
                keep = settings.RetryRulesAfter;
            }
            _current = new Snapshot(controller, time.GetUtcNow() + keep);
            return controller;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<AdmissionController> LoadAsync(AdmissionOptions settings, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.StoreTimeout);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
        var stored = await db.AdmissionRules.AsNoTracking().OrderBy(r => r.Name).Select(r => new { r.Name, r.Document }).ToListAsync(timeout.Token);
        var rules = new List<AdmissionRule>(stored.Count);
        List<string>? unreadable = null;
        foreach (var rule in stored)
        {
            try
            {
                rules.Add(PolicyJson.Deserialize<AdmissionRule>(rule.Document, "admission rule"));
            }
            catch (PolicyJsonException ex)
            {
                // Skipping it silently would fail open for the namespaces it covers, which are unknown now.
                LogUnreadableRule(logger, rule.Name, ex.Message);
                (unreadable ??= []).Add($"'{rule.Name}' ({ex.Message})");
            }
        }
        var problem = unreadable is null
            ? null
            : new AdmissionRulesProblem($"the stored admission rule {string.Join(", ", unreadable)} cannot be read", settings.WhenRulesUnavailable);
        return new AdmissionController(rules, problem);
    }

    /// <summary>Drops the current rules so the next review reloads them (the last loaded stay as the outage fallback).</summary>
    public void Invalidate() => _current = null;

    public void Dispose() => _gate.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Admission rules could not be loaded: {Reason}; serving the last loaded rules: {HasFallback}")]
    private static partial void LogLoadFailed(ILogger logger, string reason, bool hasFallback, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stored admission rule '{Name}' cannot be read: {Reason}")]
    private static partial void LogUnreadableRule(ILogger logger, string name, string reason);

    private sealed record Snapshot(AdmissionController Controller, DateTimeOffset Expires);
}

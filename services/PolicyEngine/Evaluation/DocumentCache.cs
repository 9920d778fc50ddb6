using System.Collections.Concurrent;
using SupplyChainMesh.Policy.Promotion;
using SupplyChainMesh.Policy.Serialization;
using SupplyChainMesh.Policy.Vex;

namespace SupplyChainMesh.PolicyEngine.Evaluation;

/// <summary>
/// Parsed policies and VEX statements by (id, version): stored documents are parsed once per process, and the same
/// policy record is handed to every evaluation, so the evaluator's per-policy content hash is computed once too.
/// </summary>
public sealed class DocumentCache
{
    private readonly ConcurrentDictionary<(Guid, int), PromotionPolicy> _policies = new();
    private readonly ConcurrentDictionary<Guid, IReadOnlyList<VexStatement>> _vex = new();

    public PromotionPolicy Policy(Guid id, int version, string document)
    {
        if (_policies.TryGetValue((id, version), out var known)) return known;
        // Older versions of the same policy are never asked for again.
        foreach (var key in _policies.Keys)
            if (key.Item1 == id) _policies.TryRemove(key, out _);
        return _policies.GetOrAdd((id, version), _ => PolicyJson.DeserializePolicy(document) with { Id = id });
    }

    public IReadOnlyList<VexStatement> Vex(Guid id, string document) => _vex.GetOrAdd(id, _ => VexDocuments.Parse(document));

    public void ForgetVex(Guid id) => _vex.TryRemove(id, out _);
}

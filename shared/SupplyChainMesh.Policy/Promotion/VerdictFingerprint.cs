using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using SupplyChainMesh.Policy.Exceptions;
using SupplyChainMesh.Policy.Serialization;

namespace SupplyChainMesh.Policy.Promotion;

/// <summary>Computes <see cref="EvaluationResult.Fingerprint"/>.</summary>
internal static class VerdictFingerprint
{
    // Policies are immutable records: their content hash is computed once per instance.
    private static readonly ConditionalWeakTable<PromotionPolicy, string> PolicyHashes = [];

    public static string PolicyHash(PromotionPolicy policy) =>
        PolicyHashes.GetValue(policy, static p => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(PolicyJson.Serialize(p)))));

    public static string Compute(
        string registry, string repository, string? tag, string digest,
        IReadOnlyList<(PromotionPolicy Policy, PolicyVerdict Verdict)> verdicts,
        IReadOnlyList<SuppressedFinding> suppressed)
    {
        var sb = new StringBuilder(1024);
        sb.Append(registry).Append('\n').Append(repository).Append('\n').Append(tag).Append('\n').Append(digest).Append('\n');
        foreach (var (policy, verdict) in verdicts)
        {
            sb.Append("P ").Append(PolicyHash(policy)).Append(' ').Append(verdict.Outcome).Append('\n');
            foreach (var c in verdict.Criteria)
            {
                if (c.Passed) continue;
                sb.Append(" F ").Append(c.Index);
                foreach (var f in c.OffendingFindings) sb.Append(' ').Append(f.VulnerabilityId).Append('|').Append(f.PackagePurl);
                foreach (var p in c.OffendingPackages) sb.Append(' ').Append(p.Purl);
                sb.Append('\n');
            }
            if (verdict.Promotion is { } target) sb.Append(" T ").Append(target.Repository).Append(' ').Append(target.Problem is null).Append('\n');
        }
        foreach (var s in suppressed)
        {
            sb.Append("S ").Append(s.Finding.VulnerabilityId).Append('|').Append(s.Finding.PackagePurl);
            foreach (var by in s.By) sb.Append(' ').Append(by.Kind).Append(':').Append(by.Reference);
            sb.Append('\n');
        }
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}

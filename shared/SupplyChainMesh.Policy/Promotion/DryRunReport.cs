namespace SupplyChainMesh.Policy.Promotion;

/// <summary>
/// The answer to "which policies would this image satisfy, and why not the others": plain lines for an API response
/// or a CLI table, built from an <see cref="EvaluationResult"/>.
/// </summary>
public sealed record DryRunReport(
    string Image,
    IReadOnlyList<DryRunReport.Line> WouldSatisfy,
    IReadOnlyList<DryRunReport.Line> WouldViolate,
    IReadOnlyList<DryRunReport.Line> NotApplicable,
    IReadOnlyList<string> SuppressedFindings)
{
    public sealed record Line(Guid PolicyId, string PolicyName, IReadOnlyList<string> Reasons);

    public static DryRunReport From(EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var image = $"{(result.Registry.Length > 0 ? result.Registry + "/" : "")}{result.Repository}{(result.Tag is null ? "" : ":" + result.Tag)}@{result.ManifestDigest}";
        return new DryRunReport(
            image,
            [.. result.Satisfied.Select(v => new Line(v.PolicyId, v.PolicyName,
                v.Promotion is { } p ? [p.Tag is null ? $"would promote to {p.Repository} but {p.Problem}" : $"would {p.Mode.ToString().ToLowerInvariant()} to {p.Repository}:{p.Tag}"] : []))],
            [.. result.Violated.Select(v => new Line(v.PolicyId, v.PolicyName, [.. v.Failures.Select(f => $"{f.Kind}: {f.Reason}")]))],
            [.. result.Skipped.Select(s => new Line(s.PolicyId, s.PolicyName, [s.Reason]))],
            [.. result.Suppressed.Select(s => $"{s.Finding.VulnerabilityId} in {s.Finding.PackagePurl}: {string.Join("; ", s.By.Select(b => b.Reason))}")]);
    }
}

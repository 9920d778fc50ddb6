using SupplyChainMesh.Policy.Exceptions;

namespace SupplyChainMesh.Policy.Promotion;

/// <summary>
/// Every policy's verdict on one image, in evaluation order; the policies that did not apply; the findings that
/// exceptions and VEX suppressed; and a <see cref="Fingerprint"/> equal across re-evaluations that would publish
/// the same verdicts.
/// </summary>
public sealed record EvaluationResult
{
    public required string Registry { get; init; }

    public required string Repository { get; init; }

    public string? Tag { get; init; }

    public required string ManifestDigest { get; init; }

    public required DateTimeOffset EvaluatedAt { get; init; }

    public IReadOnlyList<PolicyVerdict> Verdicts { get; init; } = [];

    public IReadOnlyList<SkippedPolicy> Skipped { get; init; } = [];

    public IReadOnlyList<SuppressedFinding> Suppressed { get; init; } = [];

    /// <summary>
    /// <c>sha256:</c> over what the verdicts say (image identity, each policy's content and outcome, which criteria
    /// failed on which findings or packages, what was suppressed by what). Reason texts and rendered date tags are
    /// left out because they change with the clock while the verdict does not.
    /// </summary>
    public required string Fingerprint { get; init; }

    public IEnumerable<PolicyVerdict> Satisfied => Verdicts.Where(v => v.Outcome == PolicyOutcome.Satisfied);

    public IEnumerable<PolicyVerdict> Violated => Verdicts.Where(v => v.Outcome == PolicyOutcome.Violated);
}

using SupplyChainMesh.Policy.Assessments;

namespace SupplyChainMesh.Policy.Admission;

/// <summary>
/// What the policy engine knows about an image, as the admission controller needs it: its digest, whether it was
/// scanned, which policies it satisfies and its worst findings after exceptions and VEX.
/// </summary>
public sealed record ImageVerdict
{
    /// <summary>The manifest digest the reference resolves to, or null when it cannot be resolved.</summary>
    public string? Digest { get; init; }

    public bool Scanned { get; init; }

    /// <summary>Names of the promotion policies the image satisfies.</summary>
    public IReadOnlySet<string> SatisfiedPolicies { get; init; } = new HashSet<string>();

    /// <summary>The highest severity among the image's findings, or null when it has none.</summary>
    public Severity? HighestSeverity { get; init; }

    /// <summary>Counts of findings per severity, to name what is above a bound.</summary>
    public IReadOnlyDictionary<Severity, int> FindingCounts { get; init; } = new Dictionary<Severity, int>();

    /// <summary>Ids of the image's findings in CISA KEV.</summary>
    public IReadOnlyList<string> KevFindings { get; init; } = [];

    /// <summary>
    /// The verdict of an evaluated image, as the service caches it for admission: the findings that count are those
    /// exceptions and VEX did not suppress; the satisfied policies are named by <see cref="Promotion.PromotionPolicy.Name"/>.
    /// </summary>
    public static ImageVerdict From(ImageAssessment assessment, Promotion.EvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        ArgumentNullException.ThrowIfNull(result);
        var suppressed = result.Suppressed.Select(s => s.Finding).ToHashSet();
        var active = assessment.Findings.Where(f => !suppressed.Contains(f)).ToList();
        return new ImageVerdict
        {
            Digest = assessment.ManifestDigest,
            Scanned = true,
            SatisfiedPolicies = result.Satisfied.Select(v => v.PolicyName).ToHashSet(StringComparer.Ordinal),
            HighestSeverity = active.Count == 0 ? null : active.Max(f => f.Severity),
            FindingCounts = active.GroupBy(f => f.Severity).ToDictionary(g => g.Key, g => g.Count()),
            KevFindings = [.. active.Where(f => f.Kev).Select(f => f.VulnerabilityId).Distinct(StringComparer.Ordinal)],
        };
    }
}

using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.Policy.Assessments;

namespace SupplyChainMesh.PolicyEngine.Model;

/// <summary>
/// What admission needs to know about an evaluated image under one tag: the policies it satisfies, its findings by
/// severity after exceptions and VEX, its KEV findings and the report they came from. Keyed by (registry, repository,
/// digest, tag); a tag resolves to its most recently evaluated digest.
/// </summary>
public sealed class ImageSummary
{
    public required string Registry { get; set; }
    public required string Repository { get; set; }
    public required string Digest { get; set; }
    public required string Tag { get; set; }
    public Guid ReportId { get; set; }
    public string[] SatisfiedPolicies { get; set; } = [];

    /// <summary>Finding counts indexed by <see cref="Severity"/> value (unknown .. critical).</summary>
    public int[] FindingCounts { get; set; } = [];

    public string[] KevFindings { get; set; } = [];
    public DateTimeOffset EvaluatedAt { get; set; }

    public static ImageSummary From(ImageVerdict verdict, string registry, string repository, string digest, string tag, Guid reportId, DateTimeOffset at)
    {
        var counts = new int[(int)Severity.Critical + 1];
        foreach (var (severity, count) in verdict.FindingCounts) counts[(int)severity] = count;
        return new ImageSummary
        {
            Registry = registry,
            Repository = repository,
            Digest = digest,
            Tag = tag,
            ReportId = reportId,
            SatisfiedPolicies = [.. verdict.SatisfiedPolicies.Order(StringComparer.Ordinal)],
            FindingCounts = counts,
            KevFindings = [.. verdict.KevFindings],
            EvaluatedAt = at,
        };
    }

    /// <summary>
    /// The verdict of one digest from its rows under every tag it was evaluated under: the policies satisfied under
    /// any tag (tag criteria make them differ per tag), the findings of the latest evaluation (they do not depend on
    /// the tag). Null when there is no row.
    /// </summary>
    public static ImageVerdict? ToVerdict(IReadOnlyList<ImageSummary> tagsOfOneDigest)
    {
        ArgumentNullException.ThrowIfNull(tagsOfOneDigest);
        if (tagsOfOneDigest.Count == 0) return null;
        var latest = tagsOfOneDigest.MaxBy(i => i.EvaluatedAt)!.ToVerdict();
        return latest with { SatisfiedPolicies = tagsOfOneDigest.SelectMany(i => i.SatisfiedPolicies).ToHashSet(StringComparer.Ordinal) };
    }

    public ImageVerdict ToVerdict()
    {
        var counts = new Dictionary<Severity, int>();
        for (var i = 0; i < FindingCounts.Length; i++)
            if (FindingCounts[i] > 0) counts[(Severity)i] = FindingCounts[i];
        return new ImageVerdict
        {
            Digest = Digest,
            Scanned = true,
            SatisfiedPolicies = new HashSet<string>(SatisfiedPolicies, StringComparer.Ordinal),
            HighestSeverity = counts.Count == 0 ? null : counts.Keys.Max(),
            FindingCounts = counts,
            KevFindings = KevFindings,
        };
    }
}

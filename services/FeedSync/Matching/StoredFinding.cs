using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Matching;
using PolicyFinding = SupplyChainMesh.Policy.Assessments.Finding;
using PolicySeverity = SupplyChainMesh.Policy.Assessments.Severity;

namespace SupplyChainMesh.FeedSync.Matching;

/// <summary>One vulnerability of one package of an image, as stored and served: the match result with the package and
/// the layer that introduced it.</summary>
public sealed record StoredFinding
{
    public required string VulnerabilityId { get; init; }
    public IReadOnlyList<string> Aliases { get; init; } = [];
    public required string PackageName { get; init; }
    public required string PackagePurl { get; init; }
    public required string PackageType { get; init; }
    public required string InstalledVersion { get; init; }
    public required string Ecosystem { get; init; }
    public Severity Severity { get; init; }
    public string? SeveritySource { get; init; }
    public string? EcosystemSeverity { get; init; }
    public double? CvssScore { get; init; }
    public string? CvssVector { get; init; }
    public bool FixAvailable { get; init; }
    public string? FixedVersion { get; init; }
    public bool Kev { get; init; }
    public DateOnly? KevDueDate { get; init; }
    public double? Epss { get; init; }
    public string? Summary { get; init; }
    public DateTimeOffset? Published { get; init; }
    public IReadOnlyList<string> Sources { get; init; } = [];
    public int LayerIndex { get; init; }
    public string? LayerDigest { get; init; }

    public static StoredFinding From(Finding finding, int layerIndex, string? layerDigest)
    {
        ArgumentNullException.ThrowIfNull(finding);
        return new StoredFinding
        {
            VulnerabilityId = finding.VulnerabilityId,
            Aliases = finding.Aliases,
            PackageName = finding.Package.Name,
            PackagePurl = finding.Package.Purl,
            PackageType = finding.Package.Type,
            InstalledVersion = finding.Package.Version,
            Ecosystem = finding.Ecosystem,
            Severity = finding.Severity,
            SeveritySource = finding.SeveritySource,
            EcosystemSeverity = finding.EcosystemSeverity,
            CvssScore = finding.Cvss?.Score,
            CvssVector = finding.Cvss?.Vector,
            FixAvailable = finding.FixAvailable,
            FixedVersion = finding.FixedVersion,
            Kev = finding.KnownExploited,
            KevDueDate = finding.KevDueDate,
            Epss = finding.Epss,
            Summary = finding.Summary,
            Published = finding.Published,
            Sources = finding.Sources,
            LayerIndex = layerIndex,
            LayerDigest = layerDigest,
        };
    }

    /// <summary>The finding as the policies see it.</summary>
    public PolicyFinding ToPolicyFinding() => new()
    {
        VulnerabilityId = VulnerabilityId,
        Aliases = Aliases,
        PackagePurl = PackagePurl,
        Severity = (PolicySeverity)(int)Severity,
        CvssScore = CvssScore,
        Kev = Kev,
        Epss = Epss,
        FixAvailable = FixAvailable,
        FixedVersion = FixedVersion,
    };
}

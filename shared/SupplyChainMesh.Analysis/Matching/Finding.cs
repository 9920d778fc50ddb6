using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Matching;

/// <summary>Whether the affected release has a fixed version.</summary>
public enum FixState
{
    /// <summary>A fixed version exists (<see cref="Finding.FixedVersion"/>).</summary>
    Fixed,

    /// <summary>No fix in this release yet (Debian: <c>introduced 0</c> with no <c>fixed</c>).</summary>
    NotFixed,
}

/// <summary>
/// One vulnerability of one installed package. Records of the same vulnerability (GHSA + CVE + GO + PYSEC aliases,
/// a DSA and the CVEs it fixes) are merged into one finding: <see cref="VulnerabilityId"/> is the CVE when one is known,
/// <see cref="Aliases"/> holds the other ids.
/// </summary>
public sealed record Finding
{
    public required string VulnerabilityId { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    public required Package Package { get; init; }

    /// <summary>The version compared with the feed (Debian: the source version).</summary>
    public required string InstalledVersion { get; init; }

    /// <summary>The OSV ecosystem matched (<c>Debian:12</c>, <c>npm</c>).</summary>
    public required string Ecosystem { get; init; }

    public Severity Severity { get; init; }

    /// <summary>Who rated it: <c>debian</c> (urgency), <c>ghsa</c>, <c>nvd</c>, or the CVSS source.</summary>
    public string? SeveritySource { get; init; }

    /// <summary>Debian urgency (or another ecosystem's own rating) as the feed wrote it.</summary>
    public string? EcosystemSeverity { get; init; }

    /// <summary>The CVSS rating shown with the finding: NVD's primary v3.x when NVD has one, else the advisory's.</summary>
    public SeverityScore? Cvss { get; init; }

    public FixState FixState { get; init; }

    public bool FixAvailable => FixState == FixState.Fixed;

    public string? FixedVersion { get; init; }

    public bool KnownExploited { get; init; }

    public DateOnly? KevDateAdded { get; init; }

    public DateOnly? KevDueDate { get; init; }

    public double? Epss { get; init; }

    public double? EpssPercentile { get; init; }

    public string? Summary { get; init; }

    public DateTimeOffset? Published { get; init; }

    /// <summary>Which feeds the merged records came from.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    /// <summary>Every id of the finding: <see cref="VulnerabilityId"/> and <see cref="Aliases"/>.</summary>
    public IEnumerable<string> AllIds => Aliases.Prepend(VulnerabilityId);
}

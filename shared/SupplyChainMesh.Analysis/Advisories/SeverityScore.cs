namespace SupplyChainMesh.Analysis.Advisories;

/// <summary>
/// A CVSS rating: the vector, its base score (computed from the vector when the feed gives only the vector),
/// who assigned it (<c>nvd@nist.gov</c>, <c>security-advisories@github.com</c>, <c>ghsa</c>, <c>osv</c>) and whether the
/// source calls it its primary rating (NVD's <c>type: Primary</c>).
/// </summary>
public sealed record SeverityScore(CvssKind Kind, string Vector, double? Score, string Source, bool Primary = false)
{
    public Severity Rating => Score is { } s ? SeverityLevels.FromCvss(s, Kind) : Severity.Unknown;
}

public enum CvssKind
{
    V2,
    V30,
    V31,
    V40,
}

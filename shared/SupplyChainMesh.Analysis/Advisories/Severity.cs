namespace SupplyChainMesh.Analysis.Advisories;

/// <summary>Qualitative severity, ordered: a larger value is worse.</summary>
public enum Severity
{
    Unknown = 0,
    Negligible = 1,
    Low = 2,
    Medium = 3,
    High = 4,
    Critical = 5,
}

public static class SeverityLevels
{
    /// <summary>CVSS qualitative bands (v3/v4: 0.1-3.9 low, 4-6.9 medium, 7-8.9 high, 9+ critical; v2 has no critical).</summary>
    public static Severity FromCvss(double score, CvssKind kind) => score switch
    {
        <= 0 => Severity.Negligible,
        < 4.0 => Severity.Low,
        < 7.0 => Severity.Medium,
        < 9.0 => Severity.High,
        _ => kind == CvssKind.V2 ? Severity.High : Severity.Critical,
    };

    /// <summary>Parses the words feeds use: GHSA's <c>LOW/MODERATE/HIGH/CRITICAL</c>, NVD's <c>MEDIUM</c>.</summary>
    public static Severity Parse(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "NEGLIGIBLE" or "NONE" => Severity.Negligible,
        "LOW" => Severity.Low,
        "MODERATE" or "MEDIUM" => Severity.Medium,
        "HIGH" or "IMPORTANT" => Severity.High,
        "CRITICAL" => Severity.Critical,
        _ => Severity.Unknown,
    };
}

namespace SupplyChainMesh.Policy.Assessments;

/// <summary>
/// One vulnerability matched against one package of the image, with the enrichment the criteria look at
/// (CVSS, CISA KEV, EPSS, fix availability). Filled by the service from the match results.
/// </summary>
public sealed record Finding
{
    /// <summary>The advisory id the matcher reported, e.g. <c>CVE-2023-4911</c> or <c>GHSA-xxxx</c>.</summary>
    public required string VulnerabilityId { get; init; }

    /// <summary>Other ids of the same vulnerability (CVE for a GHSA, DSA/DLA for a CVE, ...). Exceptions and VEX match these too.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The purl of the vulnerable package, with its version.</summary>
    public required string PackagePurl { get; init; }

    public Severity Severity { get; init; } = Severity.Unknown;

    /// <summary>The highest CVSS base score known for the vulnerability, or null when none is known.</summary>
    public double? CvssScore { get; init; }

    /// <summary>True when the vulnerability is in CISA's Known Exploited Vulnerabilities catalogue.</summary>
    public bool Kev { get; init; }

    /// <summary>The EPSS probability (0..1) of exploitation in the next 30 days, or null when unknown.</summary>
    public double? Epss { get; init; }

    public bool FixAvailable { get; init; }

    public string? FixedVersion { get; init; }

    /// <summary>When the fix was published by the feed (the advisory's fixed date), or null when unknown.</summary>
    public DateTimeOffset? FixPublishedAt { get; init; }

    /// <summary>True when <paramref name="id"/> is this finding's id or one of its aliases (case-insensitive).</summary>
    public bool IsKnownAs(string id)
    {
        if (string.Equals(VulnerabilityId, id, StringComparison.OrdinalIgnoreCase)) return true;
        foreach (var alias in Aliases)
            if (string.Equals(alias, id, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}

namespace SupplyChainMesh.Analysis.Advisories;

/// <summary>
/// One vulnerability record as a feed publishes it, normalised to the OSV model (osv.dev schema 1.6): every feed
/// parser (OSV, Alpine secdb, Debian Security Tracker, NVD) yields these, and the matcher only reads these.
/// </summary>
public sealed record Advisory
{
    /// <summary>The feed's id: <c>GHSA-…</c>, <c>CVE-…</c>, <c>GO-…</c>, <c>DSA-…</c>, <c>PYSEC-…</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Other ids of the same vulnerability (OSV <c>aliases</c>): a GHSA's CVE, a GO id's GHSA and CVE.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Ids of closely related records that are not the same vulnerability (OSV <c>related</c>): a DSA's CVEs.</summary>
    public IReadOnlyList<string> Related { get; init; } = [];

    public string? Summary { get; init; }

    public string? Details { get; init; }

    public DateTimeOffset? Published { get; init; }

    public DateTimeOffset? Modified { get; init; }

    /// <summary>When the record was withdrawn; withdrawn records never match. Set from OSV <c>withdrawn</c>, or from
    /// GitHub's <c>Withdrawn:</c> / <c>Duplicate Advisory:</c> summary prefixes where the field was lost.</summary>
    public DateTimeOffset? Withdrawn { get; init; }

    public bool IsWithdrawn => Withdrawn is not null;

    /// <summary>CVSS vectors and scores, each with who assigned it.</summary>
    public IReadOnlyList<SeverityScore> Severities { get; init; } = [];

    /// <summary>A feed's own qualitative rating of the whole record, e.g. GHSA's <c>database_specific.severity</c>.</summary>
    public Severity DatabaseSeverity { get; init; }

    public IReadOnlyList<string> References { get; init; } = [];

    public IReadOnlyList<AffectedPackage> Affected { get; init; } = [];

    /// <summary>Which feed it came from (<c>osv</c>, <c>alpine-secdb</c>, <c>debian-security-tracker</c>, <c>nvd</c>, ...).</summary>
    public required string Source { get; init; }

    /// <summary>This record's id followed by its aliases.</summary>
    public IEnumerable<string> AllIds()
    {
        yield return Id;
        foreach (var alias in Aliases) yield return alias;
    }
}

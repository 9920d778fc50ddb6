namespace SupplyChainMesh.Analysis.Matching;

/// <summary>What to do with vulnerabilities Debian rates <c>unimportant</c>.</summary>
public enum UnimportantPolicy
{
    /// <summary>Report them with severity Negligible (Trivy's behaviour).</summary>
    ReportAsNegligible,

    /// <summary>Leave them out (Clair's and Debian's own view: not worth a fix).</summary>
    Drop,
}

public sealed record MatchOptions
{
    public static MatchOptions Default { get; } = new();

    public UnimportantPolicy DebianUnimportant { get; init; } = UnimportantPolicy.ReportAsNegligible;

    /// <summary>Attach DSA/DLA notices to the CVE findings they fix (true) instead of reporting them as findings of
    /// their own. A notice none of whose CVEs matched is always reported by itself.</summary>
    public bool MergeDistributionNotices { get; init; } = true;
}

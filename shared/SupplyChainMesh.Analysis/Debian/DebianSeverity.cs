using SupplyChainMesh.Analysis.Advisories;

namespace SupplyChainMesh.Analysis.Debian;

/// <summary>
/// Debian Security Tracker urgencies. <c>unimportant</c> is Debian saying the issue does not warrant a fix in a stable
/// release (e.g. it only affects unsupported use); <c>not yet assigned</c> and <c>end-of-life</c> carry no rating, so the
/// matcher falls back to CVSS. The tracker sometimes appends <c>*</c> or <c>**</c> (urgency derived, not triaged).
/// </summary>
public static class DebianSeverity
{
    public const string Unimportant = "unimportant";

    public static bool IsUnimportant(string? urgency) => Normalise(urgency) == Unimportant;

    /// <summary>The severity of an urgency, or <see cref="Severity.Unknown"/> when Debian has not rated it.</summary>
    public static Severity FromUrgency(string? urgency) => Normalise(urgency) switch
    {
        Unimportant => Severity.Negligible,
        "low" => Severity.Low,
        "medium" => Severity.Medium,
        "high" => Severity.High,
        _ => Severity.Unknown,
    };

    private static string? Normalise(string? urgency) => urgency?.Trim().TrimEnd('*').Trim().ToLowerInvariant();
}

using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Alpine;
using SupplyChainMesh.Analysis.Debian;
using SupplyChainMesh.Analysis.Nvd;
using SupplyChainMesh.Analysis.Osv;

namespace SupplyChainMesh.Analysis.Matching;

/// <summary>The formats a feed file can have. Advisory formats yield <see cref="Advisory"/> records; KEV and EPSS are
/// whole-document enrichments; <see cref="None"/> is a file that is not read (schemas, manifests, non-OSV schemas).</summary>
public enum FeedFormat
{
    None,
    Osv,
    AlpineSecDb,
    Nvd,
    DebianSecurityTracker,
    Kev,
    Epss,
}

/// <summary>
/// Which format a file of a feed mirror shaped like <c>../shared/feeds/</c> has, by the folder it sits in:
/// <c>alpine-secdb/</c>, <c>nvd/</c>, <c>kev/</c>, <c>epss/</c>, <c>debian-security-tracker/</c>; <c>nodejs-security-wg/</c>
/// and <c>rustsec/</c> hold their own non-OSV schemas and are not read, nor are <c>manifest.json</c> and JSON schemas;
/// every other <c>.json</c>, <c>.jsonl</c> and <c>.zip</c> is OSV.
/// </summary>
public static class FeedFormats
{
    private static readonly string[] SkippedFolders = ["nodejs-security-wg", "rustsec"];

    /// <summary>The format of a file by its path relative to the mirror root (<c>/</c>-separated).</summary>
    public static FeedFormat Of(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var file = Path.GetFileName(relativePath);
        if (file.EndsWith("_schema.json", StringComparison.OrdinalIgnoreCase) || file.Equals("manifest.json", StringComparison.OrdinalIgnoreCase))
            return FeedFormat.None;
        var slash = relativePath.IndexOf('/', StringComparison.Ordinal);
        var top = slash > 0 ? relativePath[..slash] : "";
        if (SkippedFolders.Contains(top, StringComparer.OrdinalIgnoreCase)) return FeedFormat.None;
        if (top.Equals("kev", StringComparison.OrdinalIgnoreCase)) return file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? FeedFormat.Kev : FeedFormat.None;
        if (top.Equals("epss", StringComparison.OrdinalIgnoreCase)) return file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? FeedFormat.Epss : FeedFormat.None;
        var readable = file.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            || file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);
        if (!readable) return FeedFormat.None;
        return top.ToLowerInvariant() switch
        {
            "alpine-secdb" => FeedFormat.AlpineSecDb,
            "nvd" => FeedFormat.Nvd,
            "debian-security-tracker" => FeedFormat.DebianSecurityTracker,
            _ => FeedFormat.Osv,
        };
    }

    /// <summary>Parses a format by its name as configured (<c>osv</c>, <c>alpine-secdb</c>, <c>nvd</c>, <c>kev</c>, <c>epss</c>,
    /// <c>debian-security-tracker</c>); null when the name is unknown.</summary>
    public static FeedFormat? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "osv" => FeedFormat.Osv,
        "alpine-secdb" or "alpine" => FeedFormat.AlpineSecDb,
        "nvd" => FeedFormat.Nvd,
        "debian-security-tracker" => FeedFormat.DebianSecurityTracker,
        "kev" => FeedFormat.Kev,
        "epss" => FeedFormat.Epss,
        _ => null,
    };

    /// <summary>The parser of an advisory format; null for KEV, EPSS and <see cref="FeedFormat.None"/>.
    /// <paramref name="name"/> names OSV records' source (the file's stem).</summary>
    public static IFeedParser? ParserFor(FeedFormat format, string name = "osv") => format switch
    {
        FeedFormat.Osv => new OsvParser(name),
        FeedFormat.AlpineSecDb => new AlpineSecDbParser(),
        FeedFormat.Nvd => new NvdCveParser(),
        FeedFormat.DebianSecurityTracker => new DebianSecurityTrackerParser(),
        _ => null,
    };
}

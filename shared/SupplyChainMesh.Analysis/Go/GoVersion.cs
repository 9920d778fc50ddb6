using System.Text;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Go;

/// <summary>
/// Go module versions as golang.org/x/mod/semver orders them: SemVer 2.0.0 with a <c>v</c> (optional here, because
/// OSV's Go entries drop it), <c>v1</c>/<c>v1.2</c> shorthands, pseudo-versions (pre-releases such as
/// <c>v0.0.0-20191109021931-daa7c04131f5</c>, which order by their base and timestamp as plain SemVer does), and
/// <c>+incompatible</c> (build metadata, ignored). Toolchain versions of the <c>stdlib</c> pseudo-module
/// (<c>go1.20</c>, <c>go1.21rc2</c>, <c>1.20.0</c>) are normalised as the Go vulnerability database does:
/// <c>go1.21rc2</c> is <c>v1.21.0-rc.2</c>, <c>go1.20</c> is <c>v1.20.0</c>.
/// </summary>
public sealed class GoVersion : IVersionScheme
{
    private const SemanticVersionSyntax Syntax = SemanticVersionSyntax.Strict | SemanticVersionSyntax.AllowShorthand;

    private static readonly string[] PrereleaseWords = ["alpha", "beta", "rc"];

    public static GoVersion Instance { get; } = new();

    public string Name => "go";

    public int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var a = StripV(left);
        var b = StripV(right);
        if (SemanticVersion.TryCompare(a, b, Syntax, out var fast)) return fast;
        var na = Normalize(left);
        var nb = Normalize(right);
        SemanticVersion.TryCompare(StripV(na), StripV(nb), Syntax, out var result);
        return result;
    }

    public bool IsValid(string version) => version is not null && TryNormalize(version, out _);

    /// <summary>The canonical <c>vX.Y.Z[-pre][+build]</c> form of a module or toolchain version.</summary>
    public static string Normalize(string version) =>
        TryNormalize(version, out var normalized)
            ? normalized
            : throw new VersionFormatException("go", version, "neither a module version (v1.2.3) nor a Go toolchain version (go1.21.0)");

    public static bool TryNormalize(string? version, out string normalized)
    {
        normalized = string.Empty;
        if (string.IsNullOrEmpty(version)) return false;
        var s = version.AsSpan().Trim();
        if (SemanticVersion.IsValid(StripV(s), Syntax))
        {
            normalized = s[0] == 'v' ? s.ToString() : "v" + s.ToString();
            return true;
        }
        return TryNormalizeToolchain(s, out normalized);
    }

    /// <summary>True for a pseudo-version (<c>vX.Y.Z-[pre.]0.yyyymmddhhmmss-abcdefabcdef</c> or <c>vX.0.0-yyyymmddhhmmss-abcdefabcdef</c>).</summary>
    public static bool IsPseudoVersion(string version)
    {
        if (!SemanticVersion.TryParse(version.StartsWith('v') ? version[1..] : version, Syntax, out var v) || !v.IsPrerelease) return false;
        var pre = v.Prerelease;
        var dash = pre.LastIndexOf('-');
        if (dash < 14 || pre.Length - dash - 1 != 12) return false;
        foreach (var c in pre[(dash + 1)..])
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }
        var stamp = pre.Slice(dash - 14, 14);
        foreach (var c in stamp)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return dash == 14 || pre[dash - 15] == '.';
    }

    private static ReadOnlySpan<char> StripV(ReadOnlySpan<char> s) => s.Length > 0 && s[0] == 'v' ? s[1..] : s;

    private static bool TryNormalizeToolchain(ReadOnlySpan<char> s, out string normalized)
    {
        normalized = string.Empty;
        if (s.StartsWith("go", StringComparison.Ordinal)) s = s[2..];
        // "go1.22.1 X:nocoverageredesign" and "go1.21.0-bigcorp": the experiment or vendor suffix is not part of the release.
        var cut = s.IndexOfAny(' ', '-', '+');
        if (cut >= 0) s = s[..cut];
        if (s.IsEmpty || !char.IsAsciiDigit(s[0])) return false;
        var i = 0;
        var numbers = new List<string>(3);
        while (true)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
            numbers.Add(s[start..i].TrimStart('0') is { Length: > 0 } n ? n.ToString() : "0");
            if (i < s.Length && s[i] == '.')
            {
                i++;
                continue;
            }
            break;
        }
        if (numbers.Count > 3) return false;
        while (numbers.Count < 3) numbers.Add("0");
        var sb = new StringBuilder("v").AppendJoin('.', numbers);
        if (i < s.Length)
        {
            var rest = s[i..];
            string? word = null;
            foreach (var w in PrereleaseWords)
            {
                if (rest.StartsWith(w, StringComparison.Ordinal)) word = w;
            }
            if (word is null) return false;
            var number = rest[word.Length..];
            foreach (var c in number)
            {
                if (!char.IsAsciiDigit(c)) return false;
            }
            sb.Append('-').Append(word);
            if (!number.IsEmpty)
                sb.Append('.').Append(number.TrimStart('0') is { Length: > 0 } n ? n.ToString() : "0");
        }
        normalized = sb.ToString();
        return SemanticVersion.IsValid(normalized.AsSpan(1), Syntax);
    }
}

using System.Text;
using System.Text.RegularExpressions;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Python;

/// <summary>
/// A Python package version under PEP 440 (as the packaging library reads it): <c>[N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]</c>
/// with all the spellings PEP 440 normalises (<c>1.0-ALPHA.1</c> is <c>1.0a1</c>, <c>1.0-5</c> is <c>1.0.post5</c>,
/// <c>v1.0</c> is <c>1.0</c>). Ordering: epoch; release with trailing zeros ignored; a dev release of a final version before
/// its pre-releases; pre-releases before the final; post-releases after it; dev releases before what they develop;
/// a local version after its public version, local segments numeric above alphanumeric.
/// </summary>
public sealed partial class Pep440Version : IComparable<Pep440Version>, IEquatable<Pep440Version>
{
    private const string SchemeName = "pep440";

    private readonly string[] _release;
    private readonly string[] _local;

    private Pep440Version(string original, string epoch, string[] release, char preLabel, string? pre, string? post,
        string? dev, string[] local)
    {
        Original = original;
        Epoch = epoch;
        _release = release;
        PreLabel = preLabel;
        PreNumber = pre;
        PostNumber = post;
        DevNumber = dev;
        _local = local;
        Normalized = Format();
    }

    public string Original { get; }

    /// <summary>The PEP 440 normal form, e.g. <c>1!2.0rc1.post2.dev3+ubuntu.1</c>.</summary>
    public string Normalized { get; }

    /// <summary>The epoch's digits without leading zeros ("" is zero).</summary>
    public string Epoch { get; }

    /// <summary>The release numbers, each without leading zeros ("" is zero).</summary>
    public IReadOnlyList<string> Release => _release;

    /// <summary><c>a</c>, <c>b</c> or <c>r</c> (rc) for a pre-release, <c>\0</c> otherwise.</summary>
    public char PreLabel { get; }

    public string? PreNumber { get; }

    public string? PostNumber { get; }

    public string? DevNumber { get; }

    public IReadOnlyList<string> Local => _local;

    public bool IsPrerelease => PreNumber is not null || DevNumber is not null;

    public static Pep440Version Parse(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return TryParse(version, out var parsed)
            ? parsed
            : throw new VersionFormatException(SchemeName, version, "does not match PEP 440's version grammar");
    }

    public static bool TryParse(string? version, out Pep440Version result)
    {
        result = null!;
        if (version is null) return false;
        var text = version.Trim();
        foreach (var c in text)
        {
            // PEP 440 is ASCII; refusing the rest up front also keeps case-insensitive matching from accepting 'İ'.
            if (c > 127) return false;
        }
        var m = Grammar().Match(text);
        if (!m.Success) return false;
        var release = text.AsSpan(m.Groups["release"].Index, m.Groups["release"].Length);
        var parts = new string[release.Count('.') + 1];
        var k = 0;
        foreach (var range in release.Split('.')) parts[k++] = Digits(release[range]);
        var preLabel = '\0';
        string? pre = null;
        if (m.Groups["pre"].Success)
        {
            preLabel = m.Groups["pre_l"].Value.ToLowerInvariant() switch
            {
                "a" or "alpha" => 'a',
                "b" or "beta" => 'b',
                _ => 'r', // c, rc, pre, preview
            };
            pre = m.Groups["pre_n"].Success ? Digits(m.Groups["pre_n"].ValueSpan) : string.Empty;
        }
        string? post = null;
        if (m.Groups["post"].Success)
        {
            var n = m.Groups["post_n1"].Success ? m.Groups["post_n1"] : m.Groups["post_n2"];
            post = n.Success ? Digits(n.ValueSpan) : string.Empty;
        }
        string? dev = null;
        if (m.Groups["dev"].Success) dev = m.Groups["dev_n"].Success ? Digits(m.Groups["dev_n"].ValueSpan) : string.Empty;
        var local = m.Groups["local"].Success
            ? m.Groups["local"].Value.ToLowerInvariant().Split('.', '-', '_')
                .Select(s => s.All(char.IsAsciiDigit) ? Digits(s) : s).ToArray()
            : [];
        var epoch = m.Groups["epoch"].Success ? Digits(m.Groups["epoch"].ValueSpan) : string.Empty;
        result = new Pep440Version(version, epoch, parts, preLabel, pre, post, dev, local);
        return true;
    }

    public static bool IsValid(string? version) => TryParse(version, out _);

    public int CompareTo(Pep440Version? other)
    {
        if (other is null) return 1;
        var c = SemanticVersion.CompareNumbers(Epoch, other.Epoch);
        if (c != 0) return c;
        c = CompareRelease(_release, other._release);
        if (c != 0) return c;
        c = PreKey().CompareTo(other.PreKey());
        if (c == 0 && PreNumber is not null && other.PreNumber is not null) c = SemanticVersion.CompareNumbers(PreNumber, other.PreNumber);
        if (c != 0) return c;
        // No post-release sorts lowest.
        if (PostNumber is null || other.PostNumber is null) c = (PostNumber is null ? 0 : 1) - (other.PostNumber is null ? 0 : 1);
        else c = SemanticVersion.CompareNumbers(PostNumber, other.PostNumber);
        if (c != 0) return c;
        // No dev release sorts highest.
        if (DevNumber is null || other.DevNumber is null) c = (DevNumber is null ? 1 : 0) - (other.DevNumber is null ? 1 : 0);
        else c = SemanticVersion.CompareNumbers(DevNumber, other.DevNumber);
        if (c != 0) return c;
        return CompareLocal(_local, other._local);
    }

    public bool Equals(Pep440Version? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is Pep440Version other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Epoch);
        var n = _release.Length;
        while (n > 0 && _release[n - 1].Length == 0) n--;
        for (var i = 0; i < n; i++) hash.Add(_release[i]);
        hash.Add(PreLabel);
        hash.Add(PreNumber);
        hash.Add(PostNumber);
        hash.Add(DevNumber);
        foreach (var s in _local) hash.Add(s);
        return hash.ToHashCode();
    }

    public override string ToString() => Normalized;

    public static bool operator ==(Pep440Version? left, Pep440Version? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Pep440Version? left, Pep440Version? right) => !(left == right);

    public static bool operator <(Pep440Version left, Pep440Version right) => left is null ? right is not null : left.CompareTo(right) < 0;

    public static bool operator <=(Pep440Version left, Pep440Version right) => left is null || left.CompareTo(right) <= 0;

    public static bool operator >(Pep440Version left, Pep440Version right) => left is not null && left.CompareTo(right) > 0;

    public static bool operator >=(Pep440Version left, Pep440Version right) => left is null ? right is null : left.CompareTo(right) >= 0;

    /// <summary>packaging's key for the pre-release: a bare dev release of a final sorts first, no pre-release last.</summary>
    private int PreKey()
    {
        if (PreNumber is null) return PostNumber is null && DevNumber is not null ? -1 : 4;
        return PreLabel switch { 'a' => 1, 'b' => 2, _ => 3 };
    }

    private static int CompareRelease(string[] a, string[] b)
    {
        var n = Math.Max(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var c = SemanticVersion.CompareNumbers(i < a.Length ? a[i] : string.Empty, i < b.Length ? b[i] : string.Empty);
            if (c != 0) return c;
        }
        return 0;
    }

    private static int CompareLocal(string[] a, string[] b)
    {
        // No local version sorts lowest; segments: numbers above strings, numbers by value, strings lexically.
        var n = Math.Min(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var na = a[i].Length == 0 || char.IsAsciiDigit(a[i][0]);
            var nb = b[i].Length == 0 || char.IsAsciiDigit(b[i][0]);
            int c;
            if (na && nb) c = SemanticVersion.CompareNumbers(a[i], b[i]);
            else if (na != nb) c = na ? 1 : -1;
            else c = Math.Sign(string.CompareOrdinal(a[i], b[i]));
            if (c != 0) return c;
        }
        return a.Length.CompareTo(b.Length);
    }

    private static string Digits(ReadOnlySpan<char> digits) => digits.TrimStart('0').ToString();

    private string Format()
    {
        var sb = new StringBuilder();
        if (Epoch.Length > 0) sb.Append(Epoch).Append('!');
        for (var i = 0; i < _release.Length; i++)
        {
            if (i > 0) sb.Append('.');
            sb.Append(_release[i].Length == 0 ? "0" : _release[i]);
        }
        if (PreNumber is not null) sb.Append(PreLabel == 'r' ? "rc" : PreLabel.ToString()).Append(Zero(PreNumber));
        if (PostNumber is not null) sb.Append(".post").Append(Zero(PostNumber));
        if (DevNumber is not null) sb.Append(".dev").Append(Zero(DevNumber));
        if (_local.Length > 0) sb.Append('+').AppendJoin('.', _local.Select(Zero));
        return sb.ToString();
    }

    private static string Zero(string digits) => digits.Length == 0 ? "0" : digits;

    // PEP 440 Appendix B's canonical pattern.
    [GeneratedRegex("""
        ^v?
        (?:
            (?:(?<epoch>[0-9]+)!)?
            (?<release>[0-9]+(?:\.[0-9]+)*)
            (?<pre>[-_\.]?(?<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_\.]?(?<pre_n>[0-9]+)?)?
            (?<post>(?:-(?<post_n1>[0-9]+))|(?:[-_\.]?(?<post_l>post|rev|r)[-_\.]?(?<post_n2>[0-9]+)?))?
            (?<dev>[-_\.]?(?<dev_l>dev)[-_\.]?(?<dev_n>[0-9]+)?)?
        )
        (?:\+(?<local>[a-z0-9]+(?:[-_\.][a-z0-9]+)*))?
        $
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture)]
    private static partial Regex Grammar();
}

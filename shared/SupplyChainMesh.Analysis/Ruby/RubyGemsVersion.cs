using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Ruby;

/// <summary>
/// A RubyGems version ordered as <c>Gem::Version#&lt;=&gt;</c>: the text (with <c>-</c> read as <c>.pre.</c>) splits
/// into runs of digits and runs of letters; trailing zeros are dropped from the release part and from the
/// pre-release part; segments compare pairwise, numbers by value, strings by bytes, and a string sorts before a
/// number, so any letter makes a pre-release (<c>1.0.a</c> &lt; <c>1.0</c>, <c>1.0.b1</c> == <c>1.0.b.1</c>).
/// An empty version is <c>0</c>.
/// </summary>
public sealed class RubyGemsVersion : IComparable<RubyGemsVersion>, IEquatable<RubyGemsVersion>
{
    internal const string SchemeName = "rubygems";

    private readonly Segment[] _canonical;

    private RubyGemsVersion(string value, Segment[] canonical)
    {
        Value = value;
        _canonical = canonical;
    }

    /// <summary>The version as RubyGems keeps it: stripped, <c>-</c> replaced by <c>.pre.</c>.</summary>
    public string Value { get; }

    /// <summary>True when the version has a letter (RubyGems' <c>prerelease?</c>).</summary>
    public bool IsPrerelease => Value.AsSpan().IndexOfAnyInRange('a', 'z') >= 0 || Value.AsSpan().IndexOfAnyInRange('A', 'Z') >= 0;

    public static RubyGemsVersion Parse(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return TryParse(version, out var parsed)
            ? parsed
            : throw new VersionFormatException(SchemeName, version, "Malformed version number string");
    }

    public static bool TryParse(string? version, out RubyGemsVersion result)
    {
        result = null!;
        if (version is null || !IsWellFormed(version.AsSpan().Trim())) return false;
        var text = version.Trim();
        if (text.Length == 0) text = "0";
        text = text.Replace("-", ".pre.", StringComparison.Ordinal);
        result = new RubyGemsVersion(text, Canonicalize(text));
        return true;
    }

    public static bool IsValid(string? version) => version is not null && IsWellFormed(version.AsSpan().Trim());

    public int CompareTo(RubyGemsVersion? other)
    {
        if (other is null) return 1;
        var a = _canonical;
        var b = other._canonical;
        var n = Math.Max(a.Length, b.Length);
        for (var i = 0; i < n; i++)
        {
            var l = i < a.Length ? a[i] : Segment.Zero;
            var r = i < b.Length ? b[i] : Segment.Zero;
            if (l.IsNumber != r.IsNumber) return l.IsNumber ? 1 : -1;
            var c = l.IsNumber
                ? SemanticVersion.CompareNumbers(l.Text, r.Text)
                : Math.Sign(string.CompareOrdinal(l.Text, r.Text));
            if (c != 0) return c;
        }
        return 0;
    }

    public bool Equals(RubyGemsVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is RubyGemsVersion other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var s in _canonical)
        {
            hash.Add(s.IsNumber);
            hash.Add(s.Text);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => Value;

    public static bool operator ==(RubyGemsVersion? left, RubyGemsVersion? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(RubyGemsVersion? left, RubyGemsVersion? right) => !(left == right);

    public static bool operator <(RubyGemsVersion left, RubyGemsVersion right) => left is null ? right is not null : left.CompareTo(right) < 0;

    public static bool operator <=(RubyGemsVersion left, RubyGemsVersion right) => left is null || left.CompareTo(right) <= 0;

    public static bool operator >(RubyGemsVersion left, RubyGemsVersion right) => left is not null && left.CompareTo(right) > 0;

    public static bool operator >=(RubyGemsVersion left, RubyGemsVersion right) => left is null ? right is null : left.CompareTo(right) >= 0;

    /// <summary>Gem::Version's pattern: <c>[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?</c>, or nothing.</summary>
    private static bool IsWellFormed(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return true;
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i == 0) return false;
        while (i < s.Length && s[i] == '.')
        {
            var start = ++i;
            while (i < s.Length && char.IsAsciiLetterOrDigit(s[i])) i++;
            if (i == start) return false;
        }
        if (i < s.Length && s[i] == '-')
        {
            while (true)
            {
                var start = ++i;
                while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '-')) i++;
                if (i == start) return false;
                if (i < s.Length && s[i] == '.') continue;
                break;
            }
        }
        return i == s.Length;
    }

    private static Segment[] Canonicalize(string text)
    {
        var segments = new List<Segment>();
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            if (char.IsAsciiDigit(text[i]))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i])) i++;
                segments.Add(new Segment(true, text[start..i].TrimStart('0')));
            }
            else if (char.IsAsciiLetter(text[i]))
            {
                while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
                segments.Add(new Segment(false, text[start..i]));
            }
            else
            {
                i++;
            }
        }
        // Drop trailing zeros from the release part (before the first string) and from the pre-release part.
        var firstString = segments.FindIndex(s => !s.IsNumber);
        var release = firstString < 0 ? segments : segments[..firstString];
        var prerelease = firstString < 0 ? [] : segments[firstString..];
        TrimZeros(release);
        TrimZeros(prerelease);
        return [.. release, .. prerelease];
    }

    private static void TrimZeros(List<Segment> segments)
    {
        while (segments.Count > 0 && segments[^1] is { IsNumber: true, Text.Length: 0 }) segments.RemoveAt(segments.Count - 1);
    }

    /// <summary>A run of digits (without leading zeros, "" is zero) or of letters.</summary>
    private readonly record struct Segment(bool IsNumber, string Text)
    {
        public static readonly Segment Zero = new(true, string.Empty);
    }
}

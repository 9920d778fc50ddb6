using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Debian;

/// <summary>
/// A Debian package version <c>[epoch:]upstream[-revision]</c>, ordered exactly as dpkg orders it
/// (deb-version(7); lib/dpkg/version.c): epochs numerically, then upstream and revision with dpkg's
/// character ordering where <c>~</c> sorts before everything (even the end of the string), letters sort before
/// non-letters and digit runs compare numerically.
/// </summary>
/// <remarks>
/// Parsing follows dpkg's parseversion: surrounding blanks are ignored; an empty version, an empty or non-numeric,
/// negative or oversized epoch, an empty upstream part and embedded blanks are errors (<see cref="VersionFormatException"/>);
/// an upstream part that does not start with a digit or a bad character is only a warning in dpkg, so such versions
/// still parse and order (as <c>dpkg --compare-versions</c> does) but <see cref="IsStrict"/> is false.
/// An empty revision (<c>1.0-</c>) is accepted as dpkg 1.22 does (1.21 rejected it).
/// The value keeps the original string and offsets only, so parsing allocates nothing for already trimmed input.
/// </remarks>
public readonly struct DebianVersion : IComparable<DebianVersion>, IEquatable<DebianVersion>
{
    internal const string SchemeName = "dpkg";

    private readonly string _text;
    private readonly int _upstreamStart;
    private readonly int _upstreamLength;
    private readonly int _revisionStart;

    private DebianVersion(string text, int epoch, int upstreamStart, int upstreamLength, int revisionStart, bool strict)
    {
        _text = text;
        Epoch = epoch;
        _upstreamStart = upstreamStart;
        _upstreamLength = upstreamLength;
        _revisionStart = revisionStart;
        IsStrict = strict;
    }

    public int Epoch { get; }

    public ReadOnlySpan<char> Upstream => _text.AsSpan(_upstreamStart, _upstreamLength);

    /// <summary>The Debian revision, empty when the version has none (dpkg treats both alike).</summary>
    public ReadOnlySpan<char> Revision => _revisionStart < 0 ? default : _text.AsSpan(_revisionStart);

    public bool HasRevision => _revisionStart >= 0;

    /// <summary>False when dpkg would warn about the syntax (upstream not starting with a digit, bad characters).</summary>
    public bool IsStrict { get; }

    public static DebianVersion Parse(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        var trimmed = Trim(version.AsSpan());
        var error = Split(trimmed, out var epoch, out var upstream, out var revision, out var strict);
        if (error is not null) throw new VersionFormatException(SchemeName, version, error);
        var text = trimmed.Length == version.Length ? version : trimmed.ToString();
        return new DebianVersion(text, epoch, upstream.Start, upstream.Length, revision.Start, strict);
    }

    public static bool TryParse(string? version, out DebianVersion result)
    {
        result = default;
        if (version is null) return false;
        var trimmed = Trim(version.AsSpan());
        if (Split(trimmed, out var epoch, out var upstream, out var revision, out var strict) is not null) return false;
        var text = trimmed.Length == version.Length ? version : trimmed.ToString();
        result = new DebianVersion(text, epoch, upstream.Start, upstream.Length, revision.Start, strict);
        return true;
    }

    /// <summary>Orders two version strings without allocating. Throws <see cref="VersionFormatException"/> for errors.</summary>
    public static int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var a = Trim(left.AsSpan());
        var b = Trim(right.AsSpan());
        var errorA = Split(a, out var epochA, out var upA, out var revA, out _);
        if (errorA is not null) throw new VersionFormatException(SchemeName, left, errorA);
        var errorB = Split(b, out var epochB, out var upB, out var revB, out _);
        if (errorB is not null) throw new VersionFormatException(SchemeName, right, errorB);
        if (epochA != epochB) return epochA < epochB ? -1 : 1;
        var c = CompareFragment(a.Slice(upA.Start, upA.Length), b.Slice(upB.Start, upB.Length));
        if (c != 0) return c;
        return CompareFragment(revA.Start < 0 ? default : a[revA.Start..], revB.Start < 0 ? default : b[revB.Start..]);
    }

    /// <summary>True when dpkg accepts the version without error or warning.</summary>
    public static bool IsValid(string? version)
    {
        if (version is null) return false;
        return Split(Trim(version.AsSpan()), out _, out _, out _, out var strict) is null && strict;
    }

    public int CompareTo(DebianVersion other)
    {
        if (Epoch != other.Epoch) return Epoch < other.Epoch ? -1 : 1;
        var c = CompareFragment(Upstream, other.Upstream);
        return c != 0 ? c : CompareFragment(Revision, other.Revision);
    }

    public bool Equals(DebianVersion other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is DebianVersion other && Equals(other);

    /// <summary>Consistent with <see cref="Equals(DebianVersion)"/>: versions equal under dpkg ordering (1.0 and 1.00) hash alike.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Epoch);
        AddCanonical(ref hash, Upstream);
        hash.Add('|');
        AddCanonical(ref hash, Revision);
        return hash.ToHashCode();
    }

    public override string ToString() => _text ?? string.Empty;

    public static bool operator ==(DebianVersion left, DebianVersion right) => left.Equals(right);

    public static bool operator !=(DebianVersion left, DebianVersion right) => !left.Equals(right);

    public static bool operator <(DebianVersion left, DebianVersion right) => left.CompareTo(right) < 0;

    public static bool operator <=(DebianVersion left, DebianVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >(DebianVersion left, DebianVersion right) => left.CompareTo(right) > 0;

    public static bool operator >=(DebianVersion left, DebianVersion right) => left.CompareTo(right) >= 0;

    /// <summary>dpkg's verrevcmp: alternating non-digit and digit runs.</summary>
    internal static int CompareFragment(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while ((i < a.Length && !char.IsAsciiDigit(a[i])) || (j < b.Length && !char.IsAsciiDigit(b[j])))
            {
                var ac = Order(a, i);
                var bc = Order(b, j);
                if (ac != bc) return ac < bc ? -1 : 1;
                i++;
                j++;
            }
            while (i < a.Length && a[i] == '0') i++;
            while (j < b.Length && b[j] == '0') j++;
            var firstDiff = 0;
            while (i < a.Length && j < b.Length && char.IsAsciiDigit(a[i]) && char.IsAsciiDigit(b[j]))
            {
                if (firstDiff == 0) firstDiff = a[i] - b[j];
                i++;
                j++;
            }
            if (i < a.Length && char.IsAsciiDigit(a[i])) return 1;
            if (j < b.Length && char.IsAsciiDigit(b[j])) return -1;
            if (firstDiff != 0) return firstDiff < 0 ? -1 : 1;
        }
        return 0;
    }

    // dpkg's order(): '~' before the end of the string, the end before letters, letters before everything else.
    private static int Order(ReadOnlySpan<char> s, int i)
    {
        if (i >= s.Length) return 0;
        var c = s[i];
        if (char.IsAsciiDigit(c)) return 0;
        if (char.IsAsciiLetter(c)) return c;
        if (c == '~') return -1;
        return c + 256;
    }

    private static ReadOnlySpan<char> Trim(ReadOnlySpan<char> s)
    {
        var start = 0;
        var end = s.Length;
        while (start < end && IsBlank(s[start])) start++;
        while (end > start && IsBlank(s[end - 1])) end--;
        return s[start..end];
    }

    private static bool IsBlank(char c) => c is ' ' or '\t' or '\n' or '\r' or '\v' or '\f';

    /// <summary>Splits a trimmed version into its parts; returns dpkg's error text, or null.</summary>
    private static string? Split(ReadOnlySpan<char> s, out int epoch, out (int Start, int Length) upstream,
        out (int Start, int Length) revision, out bool strict)
    {
        epoch = 0;
        upstream = (0, 0);
        revision = (-1, 0);
        strict = true;
        if (s.IsEmpty) return "version string is empty";
        foreach (var c in s)
        {
            if (IsBlank(c)) return "version string has embedded spaces";
        }
        var start = 0;
        var colon = s.IndexOf(':');
        if (colon >= 0)
        {
            if (colon == 0) return "epoch in version is empty";
            long value = 0;
            for (var k = 0; k < colon; k++)
            {
                var c = s[k];
                if (c == '-' && k == 0) return "epoch in version is negative";
                if (!char.IsAsciiDigit(c)) return "epoch in version is not number";
                value = value * 10 + (c - '0');
                if (value > int.MaxValue) return "epoch in version is too big";
            }
            epoch = (int)value;
            start = colon + 1;
            if (start == s.Length) return "nothing after colon in version number";
        }
        var rest = s[start..];
        var hyphen = rest.LastIndexOf('-');
        var upstreamLength = hyphen >= 0 ? hyphen : rest.Length;
        if (hyphen >= 0) revision = (start + hyphen + 1, s.Length - (start + hyphen + 1));
        if (upstreamLength == 0) return "version number is empty";
        upstream = (start, upstreamLength);

        var up = s.Slice(start, upstreamLength);
        if (!char.IsAsciiDigit(up[0])) strict = false;
        foreach (var c in up)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '-' or '+' or '~' or ':')) strict = false;
        }
        if (hyphen >= 0)
        {
            foreach (var c in s[revision.Start..])
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '+' or '~')) strict = false;
            }
        }
        return null;
    }

    private static void AddCanonical(ref HashCode hash, ReadOnlySpan<char> s)
    {
        // Digit runs hash by value (leading zeros dropped), everything else by character: a run of zeros and an
        // absent run compare equal in dpkg ("1a" == "1a0"), so both must hash as nothing.
        var i = 0;
        while (i < s.Length)
        {
            if (char.IsAsciiDigit(s[i]))
            {
                while (i < s.Length && s[i] == '0') i++;
                while (i < s.Length && char.IsAsciiDigit(s[i])) hash.Add(s[i++]);
            }
            else
            {
                hash.Add(s[i++]);
            }
        }
    }
}

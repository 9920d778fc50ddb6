using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>
/// An RPM <c>[epoch:]version[-release]</c>, ordered as rpm 4.18 orders EVRs (rpmverCmp): epochs compare as numbers
/// (absent is 0), then version, then release with <see cref="CompareSegment"/> (rpmvercmp). A version without a
/// release sorts before the same version with any release (even <c>1.0-~</c>), as rpm 4.18's <c>rpm.vercmp()</c>
/// answers. The epoch is the leading digits before the first ':', the release what follows the last '-'.
/// </summary>
public readonly struct RpmVersion : IComparable<RpmVersion>, IEquatable<RpmVersion>
{
    internal const string SchemeName = "rpm";

    private readonly string _text;
    private readonly Parts _parts;

    private RpmVersion(string text, Parts parts)
    {
        _text = text;
        _parts = parts;
    }

    /// <summary>The epoch's digits ("" when absent, which orders as 0).</summary>
    public ReadOnlySpan<char> Epoch => _parts.Epoch(_text);

    public ReadOnlySpan<char> Version => _parts.Version(_text);

    /// <summary>The release, empty when absent.</summary>
    public ReadOnlySpan<char> Release => _parts.Release(_text);

    public bool HasRelease => _parts.ReleaseStart >= 0;

    public static RpmVersion Parse(string evr)
    {
        ArgumentNullException.ThrowIfNull(evr);
        if (!TryParse(evr, out var v)) throw new VersionFormatException(SchemeName, evr, "an RPM version needs a non-empty version part");
        return v;
    }

    public static bool TryParse(string? evr, out RpmVersion result)
    {
        result = default;
        if (evr is null || !Parts.TrySplit(evr, out var parts)) return false;
        result = new RpmVersion(evr, parts);
        return true;
    }

    /// <summary>True when the EVR has a non-empty version made of characters rpm allows in versions.</summary>
    public static bool IsValid(string? evr)
    {
        if (evr is null || !Parts.TrySplit(evr, out var parts)) return false;
        foreach (var c in evr.AsSpan(parts.VersionStart))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '+' or '~' or '^' or '-' or ':')) return false;
        }
        return true;
    }

    /// <summary>Orders two EVR strings without allocating.</summary>
    public static int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (!Parts.TrySplit(left, out var a)) throw new VersionFormatException(SchemeName, left, "an RPM version needs a non-empty version part");
        if (!Parts.TrySplit(right, out var b)) throw new VersionFormatException(SchemeName, right, "an RPM version needs a non-empty version part");
        return CompareParts(left, a, right, b);
    }

    public int CompareTo(RpmVersion other) => CompareParts(_text, _parts, other._text, other._parts);

    public bool Equals(RpmVersion other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is RpmVersion other && Equals(other);

    /// <summary>Hashes the alphanumeric runs (numbers without leading zeros), which is what rpmvercmp looks at.</summary>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        AddSegments(ref hash, Epoch.TrimStart('0'));
        hash.Add(':');
        AddSegments(ref hash, Version);
        hash.Add('-');
        AddSegments(ref hash, Release);
        return hash.ToHashCode();
    }

    public override string ToString() => _text ?? string.Empty;

    public static bool operator ==(RpmVersion left, RpmVersion right) => left.Equals(right);

    public static bool operator !=(RpmVersion left, RpmVersion right) => !left.Equals(right);

    public static bool operator <(RpmVersion left, RpmVersion right) => left.CompareTo(right) < 0;

    public static bool operator <=(RpmVersion left, RpmVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >(RpmVersion left, RpmVersion right) => left.CompareTo(right) > 0;

    public static bool operator >=(RpmVersion left, RpmVersion right) => left.CompareTo(right) >= 0;

    /// <summary>
    /// rpmvercmp: separators (anything but ASCII letters, digits, '~' and '^') only split; '~' sorts before
    /// everything, even the end; '^' sorts after the end but before anything else; digit runs compare numerically and
    /// beat letter runs; letter runs compare by ASCII; whoever has segments left wins.
    /// </summary>
    public static int CompareSegment(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.SequenceEqual(b)) return 0;
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            while (i < a.Length && IsSeparator(a[i])) i++;
            while (j < b.Length && IsSeparator(b[j])) j++;

            var ta = i < a.Length && a[i] == '~';
            var tb = j < b.Length && b[j] == '~';
            if (ta || tb)
            {
                if (!ta) return 1;
                if (!tb) return -1;
                i++;
                j++;
                continue;
            }

            var ca = i < a.Length && a[i] == '^';
            var cb = j < b.Length && b[j] == '^';
            if (ca || cb)
            {
                if (i >= a.Length) return -1;
                if (j >= b.Length) return 1;
                if (!ca) return 1;
                if (!cb) return -1;
                i++;
                j++;
                continue;
            }

            if (i >= a.Length || j >= b.Length) break;

            int endA = i, endB = j;
            var numeric = char.IsAsciiDigit(a[i]);
            if (numeric)
            {
                while (endA < a.Length && char.IsAsciiDigit(a[endA])) endA++;
                while (endB < b.Length && char.IsAsciiDigit(b[endB])) endB++;
            }
            else
            {
                while (endA < a.Length && char.IsAsciiLetter(a[endA])) endA++;
                while (endB < b.Length && char.IsAsciiLetter(b[endB])) endB++;
            }
            // A numeric segment is newer than an alphabetic one.
            if (endB == j) return numeric ? 1 : -1;

            int c;
            if (numeric) c = SemanticVersion.CompareNumbers(a[i..endA], b[j..endB]);
            else
            {
                c = a[i..endA].SequenceCompareTo(b[j..endB]);
                c = c < 0 ? -1 : c > 0 ? 1 : 0;
            }
            if (c != 0) return c;
            i = endA;
            j = endB;
        }
        var restA = i < a.Length;
        var restB = j < b.Length;
        if (!restA && !restB) return 0;
        return restA ? 1 : -1;
    }

    private static bool IsSeparator(char c) => !char.IsAsciiLetterOrDigit(c) && c is not ('~' or '^');

    private static int CompareParts(ReadOnlySpan<char> ta, Parts a, ReadOnlySpan<char> tb, Parts b)
    {
        var c = CompareSegment(a.EpochOrZero(ta), b.EpochOrZero(tb));
        if (c != 0) return c;
        c = CompareSegment(a.Version(ta), b.Version(tb));
        if (c != 0) return c;
        var ra = a.Release(ta);
        var rb = b.Release(tb);
        // rpm 4.18's rpm.vercmp: a release, whatever it holds (even "~"), is newer than none.
        if (ra.IsEmpty || rb.IsEmpty) return ra.IsEmpty == rb.IsEmpty ? 0 : ra.IsEmpty ? -1 : 1;
        return CompareSegment(ra, rb);
    }

    private static void AddSegments(ref HashCode hash, ReadOnlySpan<char> s)
    {
        var i = 0;
        while (i < s.Length)
        {
            if (IsSeparator(s[i]))
            {
                i++;
                continue;
            }
            if (char.IsAsciiDigit(s[i]))
            {
                while (i < s.Length && s[i] == '0') i++;
                while (i < s.Length && char.IsAsciiDigit(s[i])) hash.Add(s[i++]);
                hash.Add('#');
                continue;
            }
            hash.Add(s[i++]);
        }
    }

    /// <summary>Offsets of the three parts, as rpm's parseEVR splits them.</summary>
    private readonly record struct Parts(int EpochLength, int VersionStart, int VersionLength, int ReleaseStart)
    {
        public ReadOnlySpan<char> Epoch(ReadOnlySpan<char> text) => text.IsEmpty ? default : text[..EpochLength];

        public ReadOnlySpan<char> EpochOrZero(ReadOnlySpan<char> text) => EpochLength == 0 ? "0" : text[..EpochLength];

        public ReadOnlySpan<char> Version(ReadOnlySpan<char> text) => text.IsEmpty ? default : text.Slice(VersionStart, VersionLength);

        public ReadOnlySpan<char> Release(ReadOnlySpan<char> text) => ReleaseStart < 0 || text.IsEmpty ? default : text[ReleaseStart..];

        public static bool TrySplit(ReadOnlySpan<char> evr, out Parts parts)
        {
            parts = default;
            var s = 0;
            while (s < evr.Length && char.IsAsciiDigit(evr[s])) s++;
            int epochLength = 0, versionStart = 0;
            if (s < evr.Length && evr[s] == ':')
            {
                epochLength = s;
                versionStart = s + 1;
            }
            var hyphen = evr[versionStart..].LastIndexOf('-');
            var versionLength = hyphen >= 0 ? hyphen : evr.Length - versionStart;
            var releaseStart = hyphen >= 0 ? versionStart + hyphen + 1 : -1;
            if (versionLength == 0) return false;
            parts = new Parts(epochLength, versionStart, versionLength, releaseStart);
            return true;
        }
    }
}

namespace SupplyChainMesh.Analysis.Versions;

/// <summary>How strictly <see cref="SemanticVersion"/> reads a version string.</summary>
[Flags]
public enum SemanticVersionSyntax
{
    /// <summary>SemVer 2.0.0 exactly (Cargo, GHSA ranges).</summary>
    Strict = 0,

    /// <summary>A leading <c>v</c> is required (Go modules).</summary>
    RequireV = 1,

    /// <summary>node-semver's loose form: leading <c>v</c>, <c>=</c> and blanks, leading zeros in numbers.</summary>
    Loose = 2,

    /// <summary><c>v1</c> and <c>v1.2</c> stand for <c>v1.0.0</c> and <c>v1.2.0</c> (golang.org/x/mod/semver).</summary>
    AllowShorthand = 4,
}

/// <summary>
/// A SemVer 2.0.0 version kept as the original string plus offsets, so that parsing allocates nothing and comparing is
/// a walk over spans. Precedence follows semver.org §11: major, minor, patch numerically; a pre-release sorts before
/// its release; pre-release identifiers compare numerically when all digits, else by ASCII, numeric before
/// alphanumeric, and a longer list wins a tie; build metadata is ignored. Numbers may be of any length.
/// </summary>
public readonly struct SemanticVersion : IComparable<SemanticVersion>, IEquatable<SemanticVersion>
{
    private readonly string _text;
    private readonly Segment _major;
    private readonly Segment _minor;
    private readonly Segment _patch;
    private readonly Segment _prerelease;
    private readonly Segment _build;

    private SemanticVersion(string text, Segment major, Segment minor, Segment patch, Segment prerelease, Segment build)
    {
        _text = text;
        _major = major;
        _minor = minor;
        _patch = patch;
        _prerelease = prerelease;
        _build = build;
    }

    public ReadOnlySpan<char> Major => _major.Of(_text);

    public ReadOnlySpan<char> Minor => _minor.Of(_text);

    public ReadOnlySpan<char> Patch => _patch.Of(_text);

    /// <summary>The pre-release identifiers without the leading '-', empty for a release.</summary>
    public ReadOnlySpan<char> Prerelease => _prerelease.Of(_text);

    /// <summary>The build metadata without the leading '+'.</summary>
    public ReadOnlySpan<char> Build => _build.Of(_text);

    public bool IsPrerelease => _prerelease.Length > 0;

    public static bool TryParse(string? text, SemanticVersionSyntax syntax, out SemanticVersion version)
    {
        version = default;
        if (text is null) return false;
        if (!TryParse(text.AsSpan(), syntax, out var major, out var minor, out var patch, out var pre, out var build)) return false;
        version = new SemanticVersion(text, major, minor, patch, pre, build);
        return true;
    }

    public static SemanticVersion Parse(string text, SemanticVersionSyntax syntax, string scheme)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, syntax, out var v)
            ? v
            : throw new VersionFormatException(scheme, text, "not a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])");
    }

    public static bool IsValid(ReadOnlySpan<char> text, SemanticVersionSyntax syntax) =>
        TryParse(text, syntax, out _, out _, out _, out _, out _);

    /// <summary>Compares two strings by precedence without allocating; false when either is not a version.</summary>
    public static bool TryCompare(ReadOnlySpan<char> left, ReadOnlySpan<char> right, SemanticVersionSyntax syntax, out int result)
    {
        result = 0;
        if (!TryParse(left, syntax, out var ma, out var mia, out var pa, out var prea, out _)) return false;
        if (!TryParse(right, syntax, out var mb, out var mib, out var pb, out var preb, out _)) return false;
        result = CompareCore(left, ma, mia, pa, prea, right, mb, mib, pb, preb);
        return true;
    }

    public int CompareTo(SemanticVersion other) =>
        CompareCore(_text, _major, _minor, _patch, _prerelease, other._text, other._major, other._minor, other._patch, other._prerelease);

    public bool Equals(SemanticVersion other) => CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is SemanticVersion other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        AddNumber(ref hash, Major);
        AddNumber(ref hash, Minor);
        AddNumber(ref hash, Patch);
        foreach (var c in Prerelease) hash.Add(c);
        return hash.ToHashCode();
    }

    public override string ToString() => _text ?? string.Empty;

    public static bool operator ==(SemanticVersion left, SemanticVersion right) => left.Equals(right);

    public static bool operator !=(SemanticVersion left, SemanticVersion right) => !left.Equals(right);

    public static bool operator <(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) < 0;

    public static bool operator <=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) <= 0;

    public static bool operator >(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) > 0;

    public static bool operator >=(SemanticVersion left, SemanticVersion right) => left.CompareTo(right) >= 0;

    /// <summary>Compares two digit strings by value (leading zeros ignored), whatever their length.</summary>
    internal static int CompareNumbers(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        if (a.Length != b.Length) return a.Length < b.Length ? -1 : 1;
        var c = a.SequenceCompareTo(b);
        return c < 0 ? -1 : c > 0 ? 1 : 0;
    }

    /// <summary>semver.org §11.4: dot-separated identifiers, numeric lower than alphanumeric, more identifiers win a tie.</summary>
    internal static int ComparePrerelease(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        while (true)
        {
            if (a.IsEmpty || b.IsEmpty) return a.IsEmpty == b.IsEmpty ? 0 : a.IsEmpty ? -1 : 1;
            var da = a.IndexOf('.');
            var db = b.IndexOf('.');
            var ia = da < 0 ? a : a[..da];
            var ib = db < 0 ? b : b[..db];
            var na = IsNumeric(ia);
            var nb = IsNumeric(ib);
            int c;
            if (na && nb) c = CompareNumbers(ia, ib);
            else if (na != nb) c = na ? -1 : 1;
            else
            {
                c = ia.SequenceCompareTo(ib);
                c = c < 0 ? -1 : c > 0 ? 1 : 0;
            }
            if (c != 0) return c;
            a = da < 0 ? default : a[(da + 1)..];
            b = db < 0 ? default : b[(db + 1)..];
        }
    }

    private static int CompareCore(ReadOnlySpan<char> ta, Segment ma, Segment mia, Segment pa, Segment prea,
        ReadOnlySpan<char> tb, Segment mb, Segment mib, Segment pb, Segment preb)
    {
        var c = CompareNumbers(ma.Of(ta), mb.Of(tb));
        if (c != 0) return c;
        c = CompareNumbers(mia.Of(ta), mib.Of(tb));
        if (c != 0) return c;
        c = CompareNumbers(pa.Of(ta), pb.Of(tb));
        if (c != 0) return c;
        if (prea.Length == 0 || preb.Length == 0)
            return prea.Length == preb.Length ? 0 : prea.Length == 0 ? 1 : -1;
        return ComparePrerelease(prea.Of(ta), preb.Of(tb));
    }

    private static bool IsNumeric(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty) return false;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        return true;
    }

    private static bool TryParse(ReadOnlySpan<char> s, SemanticVersionSyntax syntax, out Segment major, out Segment minor,
        out Segment patch, out Segment prerelease, out Segment build)
    {
        major = minor = patch = prerelease = build = default;
        var loose = (syntax & SemanticVersionSyntax.Loose) != 0;
        var i = 0;
        var end = s.Length;
        if (loose)
        {
            // node-semver LOOSE: [v=\s]* before, blanks after.
            while (i < end && (s[i] is 'v' or 'V' or '=' || char.IsWhiteSpace(s[i]))) i++;
            while (end > i && char.IsWhiteSpace(s[end - 1])) end--;
        }
        else if ((syntax & SemanticVersionSyntax.RequireV) != 0)
        {
            if (end == 0 || s[0] != 'v') return false;
            i = 1;
        }
        if (!ReadNumber(s, ref i, end, loose, out major)) return false;
        var shorthand = (syntax & SemanticVersionSyntax.AllowShorthand) != 0;
        if (i == end && shorthand) return true;
        if (i >= end || s[i] != '.') return false;
        i++;
        if (!ReadNumber(s, ref i, end, loose, out minor)) return false;
        if (i == end && shorthand) return true;
        if (i >= end || s[i] != '.') return false;
        i++;
        if (!ReadNumber(s, ref i, end, loose, out patch)) return false;
        if (i < end && (s[i] == '-' || (loose && char.IsAsciiLetter(s[i]))))
        {
            if (s[i] == '-') i++;
            var start = i;
            if (!ReadIdentifiers(s, ref i, end, prerelease: true, loose)) return false;
            prerelease = new Segment(start, i - start);
        }
        if (i < end && s[i] == '+')
        {
            i++;
            var start = i;
            if (!ReadIdentifiers(s, ref i, end, prerelease: false, loose)) return false;
            build = new Segment(start, i - start);
        }
        return i == end;
    }

    private static bool ReadNumber(ReadOnlySpan<char> s, ref int i, int end, bool allowLeadingZeros, out Segment number)
    {
        var start = i;
        while (i < end && char.IsAsciiDigit(s[i])) i++;
        number = new Segment(start, i - start);
        if (i == start) return false;
        return allowLeadingZeros || s[start] != '0' || i - start == 1;
    }

    private static bool ReadIdentifiers(ReadOnlySpan<char> s, ref int i, int end, bool prerelease, bool loose)
    {
        while (true)
        {
            var start = i;
            var numeric = true;
            while (i < end && (char.IsAsciiLetterOrDigit(s[i]) || s[i] == '-'))
            {
                if (!char.IsAsciiDigit(s[i])) numeric = false;
                i++;
            }
            if (i == start) return false;
            // §9: numeric pre-release identifiers must not have leading zeros; build identifiers may.
            if (prerelease && !loose && numeric && s[start] == '0' && i - start > 1) return false;
            if (i < end && s[i] == '.')
            {
                i++;
                continue;
            }
            return true;
        }
    }

    private static void AddNumber(ref HashCode hash, ReadOnlySpan<char> digits)
    {
        foreach (var c in digits.TrimStart('0')) hash.Add(c);
        hash.Add('.');
    }

    /// <summary>A slice of the version string; an empty segment stands for "0" in numbers and "none" elsewhere.</summary>
    private readonly record struct Segment(int Start, int Length)
    {
        public ReadOnlySpan<char> Of(ReadOnlySpan<char> text) => text.Slice(Start, Length);

        public ReadOnlySpan<char> Of(string text) => text is null ? default : text.AsSpan(Start, Length);
    }
}

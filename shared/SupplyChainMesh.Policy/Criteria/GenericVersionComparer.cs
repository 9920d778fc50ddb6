namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// A scheme-less ordering used when no ecosystem scheme is known for a purl type: runs of digits compare numerically,
/// other runs ordinally, and a '~' sorts before anything (Debian's pre-release marker). Good enough for
/// dotted numeric versions; ecosystem schemes take over where they exist.
/// </summary>
public sealed class GenericVersionComparer : IVersionComparer
{
    public static readonly GenericVersionComparer Instance = new();

    public bool IsValid(string purlType, string version) => !string.IsNullOrWhiteSpace(version);

    public int Compare(string purlType, string left, string right) => CompareVersions(left, right);

    internal static int CompareVersions(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        while (a.Length > 0 || b.Length > 0)
        {
            if (a.Length > 0 && a[0] == '~' || b.Length > 0 && b[0] == '~')
            {
                var at = a.Length > 0 && a[0] == '~';
                var bt = b.Length > 0 && b[0] == '~';
                if (at != bt) return at ? -1 : 1;
                a = a[1..];
                b = b[1..];
                continue;
            }
            if (a.Length == 0) return -1;
            if (b.Length == 0) return 1;
            var aDigit = char.IsAsciiDigit(a[0]);
            var bDigit = char.IsAsciiDigit(b[0]);
            if (aDigit != bDigit) return aDigit ? 1 : -1;
            var aRun = Run(a, aDigit);
            var bRun = Run(b, bDigit);
            var cmp = aDigit ? CompareNumeric(a[..aRun], b[..bRun]) : a[..aRun].SequenceCompareTo(b[..bRun]);
            if (cmp != 0) return Math.Sign(cmp);
            a = a[aRun..];
            b = b[bRun..];
        }
        return 0;
    }

    private static int Run(ReadOnlySpan<char> s, bool digits)
    {
        var i = 0;
        while (i < s.Length && s[i] != '~' && char.IsAsciiDigit(s[i]) == digits) i++;
        return i;
    }

    private static int CompareNumeric(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        a = a.TrimStart('0');
        b = b.TrimStart('0');
        return a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.SequenceCompareTo(b);
    }
}

using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Php;

/// <summary>
/// Composer (Packagist) versions as composer/semver normalises and compares them: an optional <c>v</c>, one to four
/// numbers (missing ones are 0, so <c>1.2</c> == <c>1.2.0.0</c>), then an optional stability
/// <c>dev</c> &lt; <c>alpha</c>/<c>a</c> &lt; <c>beta</c>/<c>b</c> &lt; <c>RC</c> &lt; stable &lt; <c>patch</c>/<c>pl</c>/<c>p</c>
/// with its own numbers (<c>1.0.0-beta2</c>, <c>1.0-RC.1</c>), and an optional <c>-dev</c> which sorts just before
/// the same version without it. Build metadata (<c>+build</c>) is dropped as Composer drops it. Branch names
/// (<c>dev-main</c>) and date versions are not ordered here (<see cref="IsValid"/> is false): advisories name releases.
/// </summary>
public sealed class ComposerVersion : IComparable<ComposerVersion>, IEquatable<ComposerVersion>
{
    internal const string SchemeName = "composer";

    private readonly string[] _numbers;
    private readonly string[] _stabilityNumbers;

    private ComposerVersion(string value, string[] numbers, Stability stability, string[] stabilityNumbers, bool dev)
    {
        Value = value;
        _numbers = numbers;
        Stability = stability;
        _stabilityNumbers = stabilityNumbers;
        IsDev = dev;
    }

    public string Value { get; }

    public Stability Stability { get; }

    /// <summary>True for a trailing <c>-dev</c> on a version with another stability (<c>1.0.0-beta2-dev</c>).</summary>
    public bool IsDev { get; }

    public static ComposerVersion Parse(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return TryParse(version, out var parsed)
            ? parsed
            : throw new VersionFormatException(SchemeName, version, "not a Composer release version (v1.2.3, 1.0.0-RC1, 2.1-beta.2)");
    }

    public static bool TryParse(string? version, out ComposerVersion result)
    {
        result = null!;
        if (version is null) return false;
        var s = version.AsSpan().Trim();
        var plus = s.IndexOf('+');
        if (plus >= 0) s = s[..plus];
        if (s.Length > 0 && s[0] is 'v' or 'V') s = s[1..];
        var i = 0;
        var numbers = new List<string>(4);
        while (true)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == start) return false;
            numbers.Add(s[start..i].TrimStart('0').ToString());
            if (numbers.Count < 4 && i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
            {
                i++;
                continue;
            }
            break;
        }
        if (numbers.Count == 1 && numbers[0].Length > 5) return false; // Composer reads long leading numbers as dates
        while (numbers.Count < 4) numbers.Add(string.Empty);

        var rest = s[i..];
        var stability = Stability.Stable;
        var stabilityNumbers = new List<string>();
        var dev = false;
        if (!rest.IsEmpty)
        {
            if (rest[0] is '.' or '_' or '-') rest = rest[1..];
            if (StartsWithLabel(rest, out var label, out var length))
            {
                stability = label;
                rest = rest[length..];
                while (!rest.IsEmpty)
                {
                    var skip = rest[0] is '.' or '-' ? 1 : 0;
                    var start = skip;
                    var end = start;
                    while (end < rest.Length && char.IsAsciiDigit(rest[end])) end++;
                    if (end == start) break;
                    stabilityNumbers.Add(rest[start..end].TrimStart('0').ToString());
                    rest = rest[end..];
                }
                if (!rest.IsEmpty)
                {
                    if (rest[0] is '.' or '-') rest = rest[1..];
                    if (!rest.Equals("dev", StringComparison.OrdinalIgnoreCase)) return false;
                    dev = true;
                    rest = default;
                }
            }
            else if (rest.Equals("dev", StringComparison.OrdinalIgnoreCase))
            {
                stability = Stability.Dev;
            }
            else
            {
                return false;
            }
        }
        if (stability == Stability.Stable && stabilityNumbers.Count > 0) return false;
        result = new ComposerVersion(version, [.. numbers], stability, [.. stabilityNumbers], dev);
        return true;
    }

    public static bool IsValid(string? version) => TryParse(version, out _);

    public int CompareTo(ComposerVersion? other)
    {
        if (other is null) return 1;
        for (var k = 0; k < 4; k++)
        {
            var c = SemanticVersion.CompareNumbers(_numbers[k], other._numbers[k]);
            if (c != 0) return c;
        }
        if (Stability != other.Stability) return Stability < other.Stability ? -1 : 1;
        var n = Math.Max(_stabilityNumbers.Length, other._stabilityNumbers.Length);
        for (var k = 0; k < n; k++)
        {
            // beta < beta1 < beta1.1 (version_compare: a version that goes on with a number is newer).
            if (k >= _stabilityNumbers.Length) return -1;
            if (k >= other._stabilityNumbers.Length) return 1;
            var c = SemanticVersion.CompareNumbers(_stabilityNumbers[k], other._stabilityNumbers[k]);
            if (c != 0) return c;
        }
        return IsDev == other.IsDev ? 0 : IsDev ? -1 : 1;
    }

    public bool Equals(ComposerVersion? other) => other is not null && CompareTo(other) == 0;

    public override bool Equals(object? obj) => obj is ComposerVersion other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var n in _numbers) hash.Add(n);
        hash.Add(Stability);
        foreach (var n in _stabilityNumbers) hash.Add(n);
        hash.Add(IsDev);
        return hash.ToHashCode();
    }

    public override string ToString() => Value;

    public static bool operator ==(ComposerVersion? left, ComposerVersion? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(ComposerVersion? left, ComposerVersion? right) => !(left == right);

    public static bool operator <(ComposerVersion left, ComposerVersion right) => left is null ? right is not null : left.CompareTo(right) < 0;

    public static bool operator <=(ComposerVersion left, ComposerVersion right) => left is null || left.CompareTo(right) <= 0;

    public static bool operator >(ComposerVersion left, ComposerVersion right) => left is not null && left.CompareTo(right) > 0;

    public static bool operator >=(ComposerVersion left, ComposerVersion right) => left is null ? right is null : left.CompareTo(right) >= 0;

    private static bool StartsWithLabel(ReadOnlySpan<char> s, out Stability stability, out int length)
    {
        // Longest spellings first, as Composer's pattern (stable|beta|b|RC|alpha|a|patch|pl|p) is tried.
        (string Word, Stability Value)[] labels =
        [
            ("stable", Stability.Stable), ("beta", Stability.Beta), ("b", Stability.Beta), ("rc", Stability.ReleaseCandidate),
            ("alpha", Stability.Alpha), ("a", Stability.Alpha), ("patch", Stability.Patch), ("pl", Stability.Patch), ("p", Stability.Patch),
        ];
        foreach (var (word, value) in labels)
        {
            if (s.StartsWith(word, StringComparison.OrdinalIgnoreCase))
            {
                stability = value;
                length = word.Length;
                return true;
            }
        }
        stability = Stability.Stable;
        length = 0;
        return false;
    }
}

/// <summary>Composer's stabilities in version order.</summary>
public enum Stability
{
    Dev,
    Alpha,
    Beta,
    ReleaseCandidate,
    Stable,
    Patch,
}

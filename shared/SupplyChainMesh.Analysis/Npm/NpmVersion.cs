using Semver;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Npm;

/// <summary>
/// npm's version ordering (node-semver): SemVer 2.0.0 precedence, build metadata ignored. Versions are read as
/// node-semver's <c>loose</c> mode reads them (<c>v1.2.3</c>, <c>=1.2.3</c>, surrounding blanks, leading zeros),
/// because package.json files in the wild carry such strings. Ranges (<c>^1.2.0 || &gt;=2.0.0 &lt;2.3.1</c>) use
/// the Semver library's npm range parser.
/// </summary>
public sealed class NpmVersion : IVersionScheme
{
    private const SemanticVersionSyntax Syntax = SemanticVersionSyntax.Loose;

    public static NpmVersion Instance { get; } = new();

    public string Name => "npm";

    public static SemanticVersion Parse(string version) => SemanticVersion.Parse(version, Syntax, "npm");

    public static bool TryParse(string? version, out SemanticVersion result) => SemanticVersion.TryParse(version, Syntax, out result);

    public int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (SemanticVersion.TryCompare(left, right, Syntax, out var result)) return result;
        throw new VersionFormatException("npm", SemanticVersion.IsValid(left, Syntax) ? right : left,
            "not a semantic version (MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD])");
    }

    public bool IsValid(string version) => version is not null && SemanticVersion.IsValid(version, Syntax);

    /// <summary>Parses an npm range (<c>^1.2.3</c>, <c>~1.2</c>, <c>1.x</c>, <c>&gt;=1 &lt;2 || 3.0.0 - 3.1.0</c>).</summary>
    public static SemVersionRange ParseRange(string range)
    {
        ArgumentNullException.ThrowIfNull(range);
        try
        {
            return SemVersionRange.ParseNpm(range);
        }
        catch (FormatException ex)
        {
            throw new VersionFormatException("npm", range, "not an npm range: " + ex.Message);
        }
        catch (OverflowException ex)
        {
            throw new VersionFormatException("npm", range, "not an npm range: " + ex.Message);
        }
    }

    /// <summary>
    /// True when <paramref name="version"/> is in <paramref name="range"/> under npm's rules: a pre-release only
    /// satisfies a range whose comparators name a pre-release of the same major.minor.patch.
    /// </summary>
    public static bool Satisfies(string version, SemVersionRange range)
    {
        ArgumentNullException.ThrowIfNull(range);
        return range.Contains(ToSemVersion(version));
    }

    /// <summary>The Semver library's value for a (loose) npm version, for range checks.</summary>
    public static SemVersion ToSemVersion(string version)
    {
        var parsed = Parse(version);
        var text = $"{parsed.Major.TrimStart('0').ToString().PadLeft(1, '0')}.{parsed.Minor.TrimStart('0').ToString().PadLeft(1, '0')}.{parsed.Patch.TrimStart('0').ToString().PadLeft(1, '0')}";
        if (parsed.IsPrerelease) text += "-" + parsed.Prerelease.ToString();
        if (!parsed.Build.IsEmpty) text += "+" + parsed.Build.ToString();
        return SemVersion.Parse(text, SemVersionStyles.AllowLeadingZeros);
    }
}

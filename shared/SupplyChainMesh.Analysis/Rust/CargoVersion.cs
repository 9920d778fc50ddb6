using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Rust;

/// <summary>
/// Cargo's versions are SemVer 2.0.0 exactly (the semver crate): <c>MAJOR.MINOR.PATCH[-PRE][+BUILD]</c>, no leading
/// zeros, no <c>v</c>. Build metadata does not change precedence.
/// </summary>
public sealed class CargoVersion : IVersionScheme
{
    private const SemanticVersionSyntax Syntax = SemanticVersionSyntax.Strict;

    public static CargoVersion Instance { get; } = new();

    public string Name => "cargo";

    public static SemanticVersion Parse(string version) => SemanticVersion.Parse(version, Syntax, "cargo");

    public int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (SemanticVersion.TryCompare(left, right, Syntax, out var result)) return result;
        throw new VersionFormatException("cargo", SemanticVersion.IsValid(left, Syntax) ? right : left, "not a SemVer 2.0.0 version");
    }

    public bool IsValid(string version) => version is not null && SemanticVersion.IsValid(version, Syntax);
}

using System.Collections.Frozen;
using SupplyChainMesh.Analysis.Alpine;
using SupplyChainMesh.Analysis.Debian;
using SupplyChainMesh.Analysis.Go;
using SupplyChainMesh.Analysis.Maven;
using SupplyChainMesh.Analysis.Npm;
using SupplyChainMesh.Analysis.NuGet;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Analysis.Php;
using SupplyChainMesh.Analysis.Python;
using SupplyChainMesh.Analysis.Rpm;
using SupplyChainMesh.Analysis.Ruby;
using SupplyChainMesh.Analysis.Rust;

namespace SupplyChainMesh.Analysis.Versions;

/// <summary>
/// Finds the version scheme of a package: by purl type (<see cref="PurlType"/>), by OSV ecosystem name
/// (<c>npm</c>, <c>PyPI</c>, <c>Debian:12</c>, <c>Alpine:v3.18</c>, ...) or by <see cref="IVersionScheme.Name"/>.
/// </summary>
public static class VersionSchemes
{
    private static readonly FrozenDictionary<string, IVersionScheme> ByPurlType = new Dictionary<string, IVersionScheme>(StringComparer.OrdinalIgnoreCase)
    {
        [PurlType.Deb] = DebianVersionScheme.Instance,
        [PurlType.Npm] = NpmVersion.Instance,
        [PurlType.PyPI] = Pep440VersionScheme.Instance,
        [PurlType.Maven] = MavenVersionScheme.Instance,
        [PurlType.NuGet] = NuGetVersionScheme.Instance,
        [PurlType.Golang] = GoVersion.Instance,
        [PurlType.Apk] = ApkVersionScheme.Instance,
        [PurlType.Rpm] = RpmVersionScheme.Instance,
        [PurlType.Gem] = RubyGemsVersionScheme.Instance,
        [PurlType.Cargo] = CargoVersion.Instance,
        [PurlType.Composer] = ComposerVersionScheme.Instance,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    // OSV ecosystem names (https://ossf.github.io/osv-schema/#defined-ecosystems) without the ":release" suffix.
    private static readonly FrozenDictionary<string, IVersionScheme> ByEcosystem = new Dictionary<string, IVersionScheme>(StringComparer.OrdinalIgnoreCase)
    {
        ["npm"] = NpmVersion.Instance,
        ["PyPI"] = Pep440VersionScheme.Instance,
        ["Maven"] = MavenVersionScheme.Instance,
        ["NuGet"] = NuGetVersionScheme.Instance,
        ["Go"] = GoVersion.Instance,
        ["Debian"] = DebianVersionScheme.Instance,
        ["Ubuntu"] = DebianVersionScheme.Instance,
        ["Alpine"] = ApkVersionScheme.Instance,
        ["Wolfi"] = ApkVersionScheme.Instance,
        ["Chainguard"] = ApkVersionScheme.Instance,
        ["Red Hat"] = RpmVersionScheme.Instance,
        ["Rocky Linux"] = RpmVersionScheme.Instance,
        ["AlmaLinux"] = RpmVersionScheme.Instance,
        ["openSUSE"] = RpmVersionScheme.Instance,
        ["SUSE"] = RpmVersionScheme.Instance,
        ["Mageia"] = RpmVersionScheme.Instance,
        ["openEuler"] = RpmVersionScheme.Instance,
        ["Azure Linux"] = RpmVersionScheme.Instance,
        ["RubyGems"] = RubyGemsVersionScheme.Instance,
        ["crates.io"] = CargoVersion.Instance,
        ["Packagist"] = ComposerVersionScheme.Instance,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every scheme the engine has.</summary>
    public static IReadOnlyList<IVersionScheme> All { get; } = ByPurlType.Values.Concat(ByEcosystem.Values).Distinct().ToArray();

    /// <summary>The scheme for a purl type, or null when the type has none.</summary>
    public static IVersionScheme? ForPurlType(string purlType) =>
        purlType is not null && ByPurlType.TryGetValue(purlType, out var scheme) ? scheme : null;

    /// <summary>The scheme for an OSV ecosystem; a release suffix (<c>Debian:12</c>, <c>Alpine:v3.18</c>) is ignored.</summary>
    public static IVersionScheme? ForOsvEcosystem(string ecosystem)
    {
        if (string.IsNullOrEmpty(ecosystem)) return null;
        var colon = ecosystem.IndexOf(':', StringComparison.Ordinal);
        var name = colon >= 0 ? ecosystem[..colon] : ecosystem;
        return ByEcosystem.TryGetValue(name, out var scheme) ? scheme : null;
    }

    /// <summary>The scheme with this <see cref="IVersionScheme.Name"/>.</summary>
    public static IVersionScheme? ForName(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Like <see cref="ForPurlType"/> but throws naming the type when there is no scheme.</summary>
    public static IVersionScheme RequireForPurlType(string purlType) =>
        ForPurlType(purlType) ?? throw new NotSupportedException($"No version scheme for purl type '{purlType}'.");

    /// <summary>Like <see cref="ForOsvEcosystem"/> but throws naming the ecosystem when there is no scheme.</summary>
    public static IVersionScheme RequireForOsvEcosystem(string ecosystem) =>
        ForOsvEcosystem(ecosystem) ?? throw new NotSupportedException($"No version scheme for OSV ecosystem '{ecosystem}'.");
}

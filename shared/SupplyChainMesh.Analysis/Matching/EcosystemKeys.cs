using System.Text;
using SupplyChainMesh.Analysis.Packages;

namespace SupplyChainMesh.Analysis.Matching;

/// <summary>
/// Puts a feed's (ecosystem, name) and an installed package on the same key, so the index is one dictionary lookup.
/// Ecosystems are OSV's names (<c>npm</c>, <c>PyPI</c>, <c>Debian:12</c>, <c>Alpine:v3.18</c>); names follow each
/// ecosystem's identity rules: PEP 503 for PyPI, <c>group:artifact</c> for Maven, <c>@scope/name</c> for npm,
/// the module path for Go, <c>vendor/name</c> for Packagist, the SOURCE package for Debian and Alpine.
/// </summary>
public static class EcosystemKeys
{
    /// <summary>The OSV ecosystem a package's advisories are published under, or null when none applies
    /// (e.g. a Debian package of an unknown release).</summary>
    public static string? OsvEcosystemOf(Package package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return package.Type switch
        {
            PurlType.Npm => "npm",
            PurlType.PyPI => "PyPI",
            PurlType.Maven => "Maven",
            PurlType.NuGet => "NuGet",
            PurlType.Golang => "Go",
            PurlType.Gem => "RubyGems",
            PurlType.Cargo => "crates.io",
            PurlType.Composer => "Packagist",
            PurlType.Deb => DistroEcosystem(package),
            PurlType.Apk => DistroEcosystem(package),
            _ => null,
        };
    }

    // debian-12 -> Debian:12 (point releases share the major's feed); alpine-3.18.4 -> Alpine:v3.18;
    // ubuntu-22.04 -> Ubuntu:22.04.
    private static string? DistroEcosystem(Package package)
    {
        var distro = package.Distro;
        if (string.IsNullOrEmpty(distro)) return null;
        var dash = distro.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash == distro.Length - 1) return null;
        var id = distro[..dash];
        var version = distro[(dash + 1)..];
        switch (id)
        {
            case "debian":
                var dot = version.IndexOf('.', StringComparison.Ordinal);
                return "Debian:" + (dot > 0 ? version[..dot] : version);
            case "alpine":
                if (version.StartsWith("edge", StringComparison.Ordinal)) return "Alpine:edge";
                var parts = version.Split('.');
                return parts.Length >= 2 ? $"Alpine:v{parts[0]}.{parts[1]}" : null;
            case "ubuntu":
                return "Ubuntu:" + version;
            default:
                return null;
        }
    }

    /// <summary>The package's name as its ecosystem's feeds write it.</summary>
    public static string FeedNameOf(Package package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var ns = package.Namespace;
        return package.Type switch
        {
            PurlType.Deb or PurlType.Apk or PurlType.Rpm => package.SourceName is { Length: > 0 } source ? source : package.Name,
            PurlType.Maven => string.IsNullOrEmpty(ns) ? package.Name : $"{ns}:{package.Name}",
            PurlType.Npm => string.IsNullOrEmpty(ns) ? package.Name : $"{(ns.StartsWith('@') ? ns : "@" + ns)}/{package.Name}",
            PurlType.Golang or PurlType.Composer => string.IsNullOrEmpty(ns) ? package.Name : $"{ns}/{package.Name}",
            _ => package.Name,
        };
    }

    /// <summary>The lookup key of (ecosystem, name): ecosystem lower-cased, name normalised by the ecosystem's rules.</summary>
    public static string Key(string osvEcosystem, string name)
    {
        ArgumentNullException.ThrowIfNull(osvEcosystem);
        ArgumentNullException.ThrowIfNull(name);
        var ecosystem = osvEcosystem.ToLowerInvariant();
        var normalised = ecosystem switch
        {
            "pypi" => Pep503(name),
            // Go module paths are case-sensitive (the proxy escapes capitals); everything else compares case-insensitively.
            "go" => name,
            _ => name.ToLowerInvariant(),
        };
        return string.Concat(ecosystem, "\u0000", normalised);
    }

    /// <summary>The key as stored (PostgreSQL text holds no NUL): <see cref="Key"/> with <c>|</c> between ecosystem and name,
    /// e.g. <c>debian:12|glibc</c>, <c>npm|lodash</c>.</summary>
    public static string StorageKey(string osvEcosystem, string name) => Key(osvEcosystem, name).Replace('\u0000', '|');

    /// <summary>The stored key of an installed package's advisories, or null when no ecosystem applies.</summary>
    public static string? StorageKeyOf(Package package) =>
        OsvEcosystemOf(package) is { } ecosystem ? StorageKey(ecosystem, FeedNameOf(package)) : null;

    /// <summary>PEP 503: lower-case, runs of <c>-</c>, <c>_</c>, <c>.</c> become one <c>-</c>.</summary>
    public static string Pep503(string name)
    {
        var sb = new StringBuilder(name.Length);
        var lastWasSeparator = false;
        foreach (var c in name)
        {
            if (c is '-' or '_' or '.')
            {
                if (!lastWasSeparator) sb.Append('-');
                lastWasSeparator = true;
            }
            else
            {
                sb.Append(char.ToLowerInvariant(c));
                lastWasSeparator = false;
            }
        }
        return sb.ToString();
    }

    /// <summary>The version to compare against the feed's ranges: Debian feeds name source versions; Go feeds write
    /// versions without the <c>v</c> (and the toolchain as <c>1.21.0</c>, not <c>go1.21.0</c>).</summary>
    public static string VersionToMatch(Package package)
    {
        ArgumentNullException.ThrowIfNull(package);
        return package.Type switch
        {
            PurlType.Deb => package.SourceVersion is { Length: > 0 } sv ? sv : package.Version,
            PurlType.Golang => TrimGoPrefix(package.Version),
            _ => package.Version,
        };
    }

    /// <summary>Go versions without <c>v</c> or <c>go</c> prefixes, as OSV's Go ranges write them.</summary>
    public static string TrimGoPrefix(string version) =>
        version.StartsWith("go", StringComparison.Ordinal) ? version[2..]
        : version.StartsWith('v') ? version[1..]
        : version;
}

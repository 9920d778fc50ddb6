using NuGet.Versioning;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.NuGet;

/// <summary>
/// NuGet's own ordering through NuGet.Versioning: up to four numeric parts (<c>1.0</c> == <c>1.0.0.0</c>),
/// SemVer 2.0.0 pre-release labels compared case-insensitively, metadata ignored (<see cref="VersionComparer.Default"/>).
/// </summary>
public sealed class NuGetVersionScheme : IVersionScheme
{
    public static NuGetVersionScheme Instance { get; } = new();

    public string Name => "nuget";

    public static NuGetVersion Parse(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        return NuGetVersion.TryParse(version, out var parsed)
            ? parsed
            : throw new VersionFormatException("nuget", version, "not a NuGet version");
    }

    public int Compare(string left, string right) => VersionComparer.Default.Compare(Parse(left), Parse(right));

    public bool IsValid(string version) => version is not null && NuGetVersion.TryParse(version, out _);

    /// <summary>Parses a NuGet range (<c>[1.0,2.0)</c>, <c>1.0</c> meaning at least 1.0).</summary>
    public static VersionRange ParseRange(string range)
    {
        ArgumentNullException.ThrowIfNull(range);
        return VersionRange.TryParse(range, out var parsed)
            ? parsed
            : throw new VersionFormatException("nuget", range, "not a NuGet version range");
    }
}

using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Maven;

/// <summary>Maven's ComparableVersion ordering. See <see cref="MavenVersion"/>.</summary>
public sealed class MavenVersionScheme : IVersionScheme
{
    public static MavenVersionScheme Instance { get; } = new();

    public string Name => "maven";

    public int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return MavenVersion.Compare(left, right);
    }

    /// <summary>Maven orders any string; an empty or blank one names no version, so it is not valid here.</summary>
    public bool IsValid(string version) => !string.IsNullOrWhiteSpace(version);
}

using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Alpine;

/// <summary>apk ordering for Alpine, Wolfi and Chainguard packages. See <see cref="ApkVersion"/>.</summary>
public sealed class ApkVersionScheme : IVersionScheme
{
    public static ApkVersionScheme Instance { get; } = new();

    public string Name => ApkVersion.SchemeName;

    public int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return ApkVersion.Compare(left, right);
    }

    public bool IsValid(string version) => version is not null && ApkVersion.IsValid(version);
}

using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>rpm's EVR ordering for RHEL, Fedora, SUSE, Amazon Linux, Azure Linux and friends. See <see cref="RpmVersion"/>.</summary>
public sealed class RpmVersionScheme : IVersionScheme
{
    public static RpmVersionScheme Instance { get; } = new();

    public string Name => RpmVersion.SchemeName;

    public int Compare(string left, string right) => RpmVersion.Compare(left, right);

    public bool IsValid(string version) => RpmVersion.IsValid(version);
}

using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Debian;

/// <summary>dpkg version ordering for Debian, Ubuntu and distroless packages. See <see cref="DebianVersion"/>.</summary>
public sealed class DebianVersionScheme : IVersionScheme
{
    public static DebianVersionScheme Instance { get; } = new();

    public string Name => DebianVersion.SchemeName;

    public int Compare(string left, string right) => DebianVersion.Compare(left, right);

    public bool IsValid(string version) => DebianVersion.IsValid(version);
}

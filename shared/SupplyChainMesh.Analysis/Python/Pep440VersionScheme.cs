using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Python;

/// <summary>PEP 440 ordering for PyPI packages. See <see cref="Pep440Version"/>.</summary>
public sealed class Pep440VersionScheme : IVersionScheme
{
    public static Pep440VersionScheme Instance { get; } = new();

    public string Name => "pep440";

    public int Compare(string left, string right) => Pep440Version.Parse(left).CompareTo(Pep440Version.Parse(right));

    public bool IsValid(string version) => Pep440Version.IsValid(version);
}

using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Python;

/// <summary>PEP 440 ordering for PyPI packages. See <see cref="Pep440Version"/>.</summary>
public sealed class Pep440VersionScheme : IVersionScheme
{
    private readonly ParsedVersionCache<Pep440Version> _cache = new(Pep440Version.Parse);

    public static Pep440VersionScheme Instance { get; } = new();

    public string Name => "pep440";

    public int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return _cache.Get(left).CompareTo(_cache.Get(right));
    }

    public bool IsValid(string version) => Pep440Version.IsValid(version);
}

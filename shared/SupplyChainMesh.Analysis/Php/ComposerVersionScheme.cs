using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Php;

/// <summary>Composer ordering for Packagist packages. See <see cref="ComposerVersion"/>.</summary>
public sealed class ComposerVersionScheme : IVersionScheme
{
    private readonly ParsedVersionCache<ComposerVersion> _cache = new(ComposerVersion.Parse);

    public static ComposerVersionScheme Instance { get; } = new();

    public string Name => ComposerVersion.SchemeName;

    public int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return _cache.Get(left).CompareTo(_cache.Get(right));
    }

    public bool IsValid(string version) => ComposerVersion.IsValid(version);
}

using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Ruby;

/// <summary>RubyGems ordering. See <see cref="RubyGemsVersion"/>.</summary>
public sealed class RubyGemsVersionScheme : IVersionScheme
{
    private readonly ParsedVersionCache<RubyGemsVersion> _cache = new(RubyGemsVersion.Parse);

    public static RubyGemsVersionScheme Instance { get; } = new();

    public string Name => RubyGemsVersion.SchemeName;

    public int Compare(string left, string right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return _cache.Get(left).CompareTo(_cache.Get(right));
    }

    public bool IsValid(string version) => RubyGemsVersion.IsValid(version);
}

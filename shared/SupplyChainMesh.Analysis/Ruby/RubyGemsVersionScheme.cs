using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Ruby;

/// <summary>RubyGems ordering. See <see cref="RubyGemsVersion"/>.</summary>
public sealed class RubyGemsVersionScheme : IVersionScheme
{
    public static RubyGemsVersionScheme Instance { get; } = new();

    public string Name => RubyGemsVersion.SchemeName;

    public int Compare(string left, string right) => RubyGemsVersion.Parse(left).CompareTo(RubyGemsVersion.Parse(right));

    public bool IsValid(string version) => RubyGemsVersion.IsValid(version);
}

using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Php;

/// <summary>Composer ordering for Packagist packages. See <see cref="ComposerVersion"/>.</summary>
public sealed class ComposerVersionScheme : IVersionScheme
{
    public static ComposerVersionScheme Instance { get; } = new();

    public string Name => ComposerVersion.SchemeName;

    public int Compare(string left, string right) => ComposerVersion.Parse(left).CompareTo(ComposerVersion.Parse(right));

    public bool IsValid(string version) => ComposerVersion.IsValid(version);
}

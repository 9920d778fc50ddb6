namespace SupplyChainMesh.Policy.Criteria;

/// <summary>
/// The comparer the evaluator uses unless given another. Until the ecosystem schemes are wired in it is the
/// scheme-less <see cref="GenericVersionComparer"/>.
/// </summary>
public static class DefaultVersionComparer
{
    public static IVersionComparer Instance { get; } = GenericVersionComparer.Instance;
}

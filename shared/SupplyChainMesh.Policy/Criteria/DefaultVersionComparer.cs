namespace SupplyChainMesh.Policy.Criteria;

/// <summary>The comparer the evaluator and validation use unless given another: the ecosystem schemes.</summary>
public static class DefaultVersionComparer
{
    public static IVersionComparer Instance { get; } = SchemeVersionComparer.Instance;
}

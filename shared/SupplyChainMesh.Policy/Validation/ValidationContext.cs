using SupplyChainMesh.Policy.Criteria;

namespace SupplyChainMesh.Policy.Validation;

/// <summary>The version comparer validation checks range bounds with; the evaluator's default.</summary>
internal static class ValidationContext
{
    public static IVersionComparer Versions { get; set; } = DefaultVersionComparer.Instance;
}

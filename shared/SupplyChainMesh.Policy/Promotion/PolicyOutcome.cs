using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Promotion;

public enum PolicyOutcome
{
    [JsonStringEnumMemberName("satisfied")] Satisfied,
    [JsonStringEnumMemberName("violated")] Violated,
}

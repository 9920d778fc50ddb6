using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Criteria;

public enum LicenseOperator
{
    /// <summary>Every package's licence must be one of the listed ids (an allow list).</summary>
    [JsonStringEnumMemberName("oneOf")] OneOf,

    /// <summary>No package may carry one of the listed ids (a deny list).</summary>
    [JsonStringEnumMemberName("notOneOf")] NotOneOf,
}

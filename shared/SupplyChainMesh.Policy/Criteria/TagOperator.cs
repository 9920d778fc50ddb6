using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Criteria;

public enum TagOperator
{
    [JsonStringEnumMemberName("equals")] EqualTo,
    [JsonStringEnumMemberName("startsWith")] StartsWith,
    [JsonStringEnumMemberName("endsWith")] EndsWith,
    [JsonStringEnumMemberName("contains")] Contains,
    [JsonStringEnumMemberName("oneOf")] OneOf,
    [JsonStringEnumMemberName("notOneOf")] NotOneOf,
    [JsonStringEnumMemberName("glob")] Glob,
    [JsonStringEnumMemberName("regex")] Regex,
}

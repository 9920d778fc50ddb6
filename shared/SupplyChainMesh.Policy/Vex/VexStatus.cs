using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Vex;

/// <summary>OpenVEX's four statuses; CycloneDX analysis states map onto them.</summary>
public enum VexStatus
{
    [JsonStringEnumMemberName("not_affected")] NotAffected,
    [JsonStringEnumMemberName("affected")] Affected,
    [JsonStringEnumMemberName("fixed")] Fixed,
    [JsonStringEnumMemberName("under_investigation")] UnderInvestigation,
}

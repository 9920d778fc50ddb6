using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Criteria;

public enum ComponentPresence
{
    [JsonStringEnumMemberName("present")] Present,
    [JsonStringEnumMemberName("absent")] Absent,
}

using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Promotion;

public enum PromotionMode
{
    /// <summary>Tag the image in the target repository and keep the source tag.</summary>
    [JsonStringEnumMemberName("copy")] Copy,

    /// <summary>Tag the image in the target repository and remove the source tag.</summary>
    [JsonStringEnumMemberName("move")] Move,
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Admission;

/// <summary>JSON of admission reviews: the Kubernetes API's camelCase; unknown fields tolerated (newer API servers add some).</summary>
public static class AdmissionJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        MaxDepth = 128,
    };

    public static string Serialize(AdmissionReview review) => JsonSerializer.Serialize(review, Options);

    public static byte[] SerializeToUtf8Bytes(AdmissionReview review) => JsonSerializer.SerializeToUtf8Bytes(review, Options);
}

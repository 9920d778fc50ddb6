using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using SupplyChainMesh.Analysis.Advisories;

namespace SupplyChainMesh.Persistence.Feeds;

/// <summary>The stored JSON of a normalised advisory (source generated) and its content hash.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    IgnoreReadOnlyProperties = true)]
[JsonSerializable(typeof(Advisory))]
internal sealed partial class AdvisoryJsonContext : JsonSerializerContext;

public static class AdvisoryJson
{
    public static byte[] Serialize(Advisory advisory) =>
        JsonSerializer.SerializeToUtf8Bytes(advisory, AdvisoryJsonContext.Default.Advisory);

    public static Advisory? Deserialize(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, AdvisoryJsonContext.Default.Advisory);

    public static Advisory? Deserialize(string json) =>
        JsonSerializer.Deserialize(json, AdvisoryJsonContext.Default.Advisory);

    /// <summary>SHA-256 of the normalised JSON: equal records (whatever the feed's formatting) hash equal.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> json) => SHA256.HashData(json);
}

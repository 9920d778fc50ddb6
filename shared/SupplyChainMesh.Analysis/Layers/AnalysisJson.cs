using System.Text.Json;
using System.Text.Json.Serialization;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>JSON of layer analyses and image inventories (source generated: no reflection, fast, trimmable).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(LayerAnalysis))]
[JsonSerializable(typeof(ImageInventory))]
public sealed partial class AnalysisJsonContext : JsonSerializerContext;

public static class AnalysisJson
{
    public static string Serialize(LayerAnalysis analysis) =>
        JsonSerializer.Serialize(analysis, AnalysisJsonContext.Default.LayerAnalysis);

    public static LayerAnalysis? DeserializeLayer(string json) =>
        JsonSerializer.Deserialize(json, AnalysisJsonContext.Default.LayerAnalysis);

    public static string Serialize(ImageInventory inventory) =>
        JsonSerializer.Serialize(inventory, AnalysisJsonContext.Default.ImageInventory);

    public static ImageInventory? DeserializeImage(string json) =>
        JsonSerializer.Deserialize(json, AnalysisJsonContext.Default.ImageInventory);
}

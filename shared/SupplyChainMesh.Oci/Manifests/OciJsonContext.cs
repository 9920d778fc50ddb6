using System.Text.Json.Serialization;

namespace SupplyChainMesh.Oci.Manifests;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, AllowTrailingCommas = false)]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(BlobDescriptor))]
[JsonSerializable(typeof(Platform))]
internal sealed partial class OciJsonContext : JsonSerializerContext;

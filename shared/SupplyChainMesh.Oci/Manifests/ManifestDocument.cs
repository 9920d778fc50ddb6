using System.Text.Json;

namespace SupplyChainMesh.Oci.Manifests;

/// <summary>
/// A manifest as fetched: the exact bytes (a re-serialised manifest would have another digest, so pushes use these),
/// its media type, its digest, and the parsed image manifest or index.
/// </summary>
public sealed class ManifestDocument
{
    private ManifestDocument(ReadOnlyMemory<byte> bytes, string mediaType, string digest, ImageManifest? manifest, ImageIndex? index)
    {
        Bytes = bytes;
        MediaType = mediaType;
        Digest = digest;
        Manifest = manifest;
        Index = index;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    public string MediaType { get; }

    /// <summary>sha256 of <see cref="Bytes"/>.</summary>
    public string Digest { get; }

    /// <summary>Set when this is an image manifest.</summary>
    public ImageManifest? Manifest { get; }

    /// <summary>Set when this is an index or manifest list.</summary>
    public ImageIndex? Index { get; }

    public bool IsIndex => Index is not null;

    /// <summary>The descriptor another manifest (or an index) would use to point at this one.</summary>
    public BlobDescriptor ToDescriptor() => new() { MediaType = MediaType, Digest = Digest, Size = Bytes.Length };

    /// <summary>
    /// Reads a manifest. The media type comes from the document's own <c>mediaType</c> field, else from the
    /// Content-Type the registry sent, else from its shape (OCI makes the field optional).
    /// </summary>
    public static ManifestDocument Parse(ReadOnlyMemory<byte> bytes, string? contentType = null)
    {
        string? declared;
        bool hasManifests;
        bool hasConfig;
        int schemaVersion;
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ManifestFormatException("A manifest must be a JSON object.");
            declared = root.TryGetProperty("mediaType", out var mt) && mt.ValueKind == JsonValueKind.String ? mt.GetString() : null;
            hasManifests = root.TryGetProperty("manifests", out _);
            hasConfig = root.TryGetProperty("config", out _);
            schemaVersion = root.TryGetProperty("schemaVersion", out var sv) && sv.ValueKind == JsonValueKind.Number && sv.TryGetInt32(out var v) ? v : 0;
        }
        catch (JsonException ex)
        {
            throw new ManifestFormatException($"The manifest is not valid JSON: {ex.Message}", ex);
        }

        var content = NormaliseContentType(contentType);
        var mediaType = declared ?? (MediaTypes.IsManifest(content) ? content : null)
            ?? (hasManifests ? MediaTypes.OciIndex : hasConfig ? MediaTypes.OciManifest : null);
        if (schemaVersion == 1 || mediaType is MediaTypes.DockerManifestV1Signed or "application/vnd.docker.distribution.manifest.v1+json")
            throw new ManifestFormatException("Docker schema 1 manifests are not supported (deprecated since 2017); re-push the image with a current client.");
        if (schemaVersion != 2) throw new ManifestFormatException($"Unsupported manifest schemaVersion {schemaVersion} (expected 2).");
        if (mediaType is null || !MediaTypes.IsManifest(mediaType))
            throw new ManifestFormatException($"Unsupported manifest media type '{mediaType ?? "(none)"}'.");

        var digest = Digests.Sha256(bytes.Span);
        try
        {
            if (MediaTypes.IsIndex(mediaType))
            {
                var index = JsonSerializer.Deserialize(bytes.Span, OciJsonContext.Default.ImageIndex)
                    ?? throw new ManifestFormatException("The index is null.");
                foreach (var d in index.Manifests) Validate(d, "index entry");
                return new ManifestDocument(bytes, mediaType, digest, null, index);
            }
            var manifest = JsonSerializer.Deserialize(bytes.Span, OciJsonContext.Default.ImageManifest)
                ?? throw new ManifestFormatException("The manifest is null.");
            Validate(manifest.Config, "config");
            foreach (var d in manifest.Layers) Validate(d, "layer");
            return new ManifestDocument(bytes, mediaType, digest, manifest, null);
        }
        catch (JsonException ex)
        {
            throw new ManifestFormatException($"The {mediaType} document has the wrong shape: {ex.Message}", ex);
        }
    }

    private static void Validate(BlobDescriptor d, string what)
    {
        if (!References.ReferenceGrammar.IsValidDigest(d.Digest))
            throw new ManifestFormatException($"A {what} has an invalid digest '{d.Digest}'.");
        if (d.Size < 0) throw new ManifestFormatException($"A {what} ({d.Digest}) has a negative size.");
    }

    private static string? NormaliseContentType(string? contentType)
    {
        if (contentType is null) return null;
        var semi = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semi < 0 ? contentType : contentType[..semi]).Trim();
    }
}

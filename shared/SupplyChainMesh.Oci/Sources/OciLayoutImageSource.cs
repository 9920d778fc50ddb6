using System.Text.Json;
using SupplyChainMesh.Oci.IO;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;

namespace SupplyChainMesh.Oci.Sources;

/// <summary>
/// An image in an OCI image layout folder (<c>oci:DIR[:TAG]</c>): <c>index.json</c> names images by the
/// <c>org.opencontainers.image.ref.name</c> annotation; blobs are under <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>.
/// </summary>
public sealed class OciLayoutImageSource : IImageSource
{
    private readonly string _root;

    public OciLayoutImageSource(ImageReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Transport != ImageTransport.OciLayout) throw new ArgumentException($"'{reference}' is not an oci: reference.", nameof(reference));
        Reference = reference;
        _root = Path.GetFullPath(reference.Path!);
        if (!Directory.Exists(_root)) throw new ImageSourceException($"The OCI layout folder '{_root}' does not exist.");
        if (!File.Exists(Path.Combine(_root, "oci-layout")) || !File.Exists(Path.Combine(_root, "index.json")))
            throw new ImageSourceException($"'{_root}' is not an OCI image layout (no oci-layout or index.json).");
    }

    public ImageReference Reference { get; }

    public async Task<ManifestDocument> GetManifestAsync(CancellationToken cancellationToken = default)
    {
        var indexBytes = await File.ReadAllBytesAsync(Path.Combine(_root, "index.json"), cancellationToken).ConfigureAwait(false);
        ImageIndex index;
        try
        {
            index = JsonSerializer.Deserialize(indexBytes, OciJsonContext.Default.ImageIndex)
                ?? throw new ImageSourceException($"'{_root}/index.json' is null.");
        }
        catch (JsonException ex)
        {
            throw new ImageSourceException($"'{_root}/index.json' is not a valid OCI index: {ex.Message}", ex);
        }

        BlobDescriptor entry;
        if (Reference.Tag is { } tag)
        {
            var matches = index.Manifests.Where(m => m.RefName == tag).ToList();
            if (matches.Count == 0)
                throw new ImageSourceException($"The OCI layout '{_root}' has no image named '{tag}'; it has: {Names(index)}.");
            entry = matches[^1];
        }
        else if (index.Manifests.Count == 1)
        {
            entry = index.Manifests[0];
        }
        else
        {
            throw new ImageSourceException(
                $"The OCI layout '{_root}' holds {index.Manifests.Count} images; name one with oci:{Reference.Path}:NAME ({Names(index)}).");
        }
        return await GetManifestAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ManifestDocument> GetManifestAsync(BlobDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var bytes = await this.ReadBlobAsync(descriptor, 4 * 1024 * 1024, cancellationToken).ConfigureAwait(false);
        return ManifestDocument.Parse(bytes, descriptor.MediaType);
    }

    public ValueTask<Stream> OpenBlobAsync(BlobDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!ReferenceGrammar.IsValidDigest(descriptor.Digest)) throw new ImageSourceException($"Invalid digest '{descriptor.Digest}'.");
        var colon = descriptor.Digest.IndexOf(':', StringComparison.Ordinal);
        // The digest grammar admits no '/' or '..', so the path stays under blobs/.
        var path = Path.Combine(_root, "blobs", descriptor.Digest[..colon], descriptor.Digest[(colon + 1)..]);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ImageSourceException($"The OCI layout '{_root}' is missing blob {descriptor.Digest}.", ex);
        }
        return ValueTask.FromResult<Stream>(new DigestVerifyingStream(file, descriptor.Digest, descriptor.Size));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Names(ImageIndex index) =>
        string.Join(", ", index.Manifests.Select(m => m.RefName ?? m.Digest));
}

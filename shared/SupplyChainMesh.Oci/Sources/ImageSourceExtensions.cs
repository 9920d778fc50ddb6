using SupplyChainMesh.Oci.Manifests;

namespace SupplyChainMesh.Oci.Sources;

public static class ImageSourceExtensions
{
    /// <summary>Configs above this are refused: real ones are a few KiB, with long histories a few hundred.</summary>
    public const int MaxConfigBytes = 32 * 1024 * 1024;

    /// <summary>
    /// The image(s) to scan: the manifest itself, or from an index the entry for <paramref name="platform"/>
    /// (default linux/amd64), or every runnable entry when <paramref name="allPlatforms"/> is set. Configs are read too.
    /// </summary>
    public static async Task<IReadOnlyList<ResolvedImage>> ResolveImagesAsync(this IImageSource source, Platform? platform = null,
        bool allPlatforms = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        var root = await source.GetManifestAsync(cancellationToken).ConfigureAwait(false);
        var result = new List<ResolvedImage>();
        await CollectAsync(source, root, null, platform, allPlatforms, result, depth: 0, cancellationToken).ConfigureAwait(false);
        return result;
    }

    private static async Task CollectAsync(IImageSource source, ManifestDocument document, BlobDescriptor? entry, Platform? platform,
        bool all, List<ResolvedImage> result, int depth, CancellationToken cancellationToken)
    {
        if (depth > 4) throw new ManifestFormatException("Indexes nest deeper than 4 levels.");
        if (document.Index is { } index)
        {
            var children = all ? PlatformSelector.SelectAll(index) : [PlatformSelector.Select(index, platform)];
            foreach (var child in children)
            {
                var childDocument = await source.GetManifestAsync(child, cancellationToken).ConfigureAwait(false);
                await CollectAsync(source, childDocument, child, platform, all, result, depth + 1, cancellationToken).ConfigureAwait(false);
            }
            return;
        }
        var config = await source.ReadBlobAsync(document.Manifest!.Config, MaxConfigBytes, cancellationToken).ConfigureAwait(false);
        result.Add(new ResolvedImage(document, entry, config));
    }

    /// <summary>Reads a small blob (a config) whole, verified.</summary>
    public static async Task<byte[]> ReadBlobAsync(this IImageSource source, BlobDescriptor descriptor, int maxBytes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Size > maxBytes) throw new ManifestFormatException($"Blob {descriptor.Digest} is {descriptor.Size} bytes, over the {maxBytes} limit.");
        await using var stream = await source.OpenBlobAsync(descriptor, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[descriptor.Size];
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        // One more read reaches the end, where the digest is checked.
        if (await stream.ReadAsync(new byte[1], cancellationToken).ConfigureAwait(false) != 0)
            throw new DigestMismatchException(descriptor.Digest, null, $"Blob {descriptor.Digest} is longer than {descriptor.Size} bytes.");
        return buffer;
    }
}

using System.Text.Json;
using System.Text.RegularExpressions;
using SupplyChainMesh.Oci.IO;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.References;

namespace SupplyChainMesh.Oci.Sources;

/// <summary>
/// An image in a <c>docker save</c> / skopeo docker-archive tar (<c>docker-archive:FILE[:REF]</c>). The tar is indexed
/// once and members are read in place. The archive has no registry manifest, so a Docker schema 2 manifest is
/// synthesised: the config digest is the hash of the config member; a layer's digest comes from its file name when
/// that is content-addressed (<c>&lt;hex&gt;.tar</c>, <c>blobs/sha256/&lt;hex&gt;</c>), else from the config's
/// <c>rootfs.diff_ids</c> for an uncompressed layer, else it is computed. Every read is verified against it.
/// </summary>
public sealed partial class DockerArchiveImageSource : IImageSource
{
    private readonly Dictionary<string, string> _memberByDigest = new(StringComparer.Ordinal);
    private TarIndex? _index;
    private ManifestDocument? _manifest;

    private DockerArchiveImageSource(ImageReference reference) => Reference = reference;

    public ImageReference Reference { get; }

    /// <summary>The RepoTags of the chosen image, as the archive records them.</summary>
    public IReadOnlyList<string> RepoTags { get; private set; } = [];

    public static async Task<DockerArchiveImageSource> OpenAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Transport != ImageTransport.DockerArchive)
            throw new ArgumentException($"'{reference}' is not a docker-archive: reference.", nameof(reference));
        var path = Path.GetFullPath(reference.Path!);
        if (!File.Exists(path)) throw new ImageSourceException($"The docker archive '{path}' does not exist.");
        var source = new DockerArchiveImageSource(reference);
        try
        {
            source._index = await TarIndex.BuildAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            throw new ImageSourceException(ex.Message, ex);
        }
        await source.LoadAsync(cancellationToken).ConfigureAwait(false);
        return source;
    }

    public Task<ManifestDocument> GetManifestAsync(CancellationToken cancellationToken = default) => Task.FromResult(_manifest!);

    public Task<ManifestDocument> GetManifestAsync(BlobDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        return descriptor.Digest == _manifest!.Digest
            ? Task.FromResult(_manifest)
            : throw new ImageSourceException($"The docker archive has no manifest {descriptor.Digest}.");
    }

    public ValueTask<Stream> OpenBlobAsync(BlobDescriptor descriptor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (!_memberByDigest.TryGetValue(descriptor.Digest, out var member))
            throw new ImageSourceException($"The docker archive '{_index!.ArchivePath}' has no blob {descriptor.Digest}.");
        return ValueTask.FromResult<Stream>(new DigestVerifyingStream(_index!.Open(member), descriptor.Digest, descriptor.Size));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var index = _index!;
        var entries = ReadManifestJson(await ReadMemberAsync("manifest.json", 16 * 1024 * 1024, cancellationToken).ConfigureAwait(false));
        var entry = Choose(entries);
        RepoTags = entry.RepoTags;

        var configBytes = await ReadMemberAsync(entry.Config, ImageSourceExtensions.MaxConfigBytes, cancellationToken).ConfigureAwait(false);
        var configDigest = Digests.Sha256(configBytes);
        _memberByDigest[configDigest] = entry.Config;
        var diffIds = ReadDiffIds(configBytes);

        var layers = new List<BlobDescriptor>(entry.Layers.Count);
        for (var i = 0; i < entry.Layers.Count; i++)
        {
            var name = entry.Layers[i];
            var found = index.Find(name) ?? throw new ImageSourceException($"The docker archive lists layer '{name}', which it does not contain.");
            var mediaType = await SniffLayerTypeAsync(name, cancellationToken).ConfigureAwait(false);
            var digest = DigestFromName(found.Name)
                ?? (mediaType == MediaTypes.DockerLayer && i < diffIds.Count ? diffIds[i] : null)
                ?? await HashMemberAsync(name, cancellationToken).ConfigureAwait(false);
            _memberByDigest[digest] = name;
            layers.Add(new BlobDescriptor { MediaType = mediaType, Digest = digest, Size = found.Length });
        }

        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.DockerManifest,
            Config = new BlobDescriptor { MediaType = MediaTypes.DockerConfig, Digest = configDigest, Size = configBytes.Length },
            Layers = layers,
        };
        _manifest = ManifestDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(manifest, OciJsonContext.Default.ImageManifest));
    }

    private ArchiveEntry Choose(List<ArchiveEntry> entries)
    {
        if (entries.Count == 0) throw new ImageSourceException($"The docker archive '{_index!.ArchivePath}' lists no images.");
        if (Reference.Tag is not { } wanted)
        {
            return entries.Count == 1
                ? entries[0]
                : throw new ImageSourceException(
                    $"The docker archive holds {entries.Count} images; name one with docker-archive:{Reference.Path}:REF ({string.Join(", ", entries.SelectMany(e => e.RepoTags))}).");
        }
        var wantedCanonical = ImageReference.Parse(wanted).ToCanonicalString();
        foreach (var e in entries)
        {
            foreach (var tag in e.RepoTags)
            {
                if (ImageReference.TryParse(tag, out var r) && r.ToCanonicalString() == wantedCanonical) return e;
            }
        }
        throw new ImageSourceException($"The docker archive has no image tagged '{wanted}'; it has: {string.Join(", ", entries.SelectMany(e => e.RepoTags))}.");
    }

    private List<ArchiveEntry> ReadManifestJson(byte[] json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new ImageSourceException("manifest.json is not an array.");
            var list = new List<ArchiveEntry>();
            foreach (var item in doc.RootElement.EnumerateArray())
            {
                var config = item.TryGetProperty("Config", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : null;
                if (config is null || !item.TryGetProperty("Layers", out var l) || l.ValueKind != JsonValueKind.Array)
                    throw new ImageSourceException($"An entry of manifest.json in '{_index!.ArchivePath}' lacks Config or Layers.");
                var layers = l.EnumerateArray().Select(x => x.GetString() ?? throw new ImageSourceException("A layer path in manifest.json is null.")).ToList();
                var tags = item.TryGetProperty(nameof(ArchiveEntry.RepoTags), out var t) && t.ValueKind == JsonValueKind.Array
                    ? t.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToList()
                    : [];
                list.Add(new ArchiveEntry(config, tags, layers));
            }
            return list;
        }
        catch (JsonException ex)
        {
            throw new ImageSourceException($"manifest.json in '{_index!.ArchivePath}' is not valid JSON: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new ImageSourceException($"manifest.json in '{_index!.ArchivePath}' has the wrong shape: {ex.Message}", ex);
        }
    }

    private static List<string> ReadDiffIds(byte[] config)
    {
        try
        {
            using var doc = JsonDocument.Parse(config);
            if (doc.RootElement.TryGetProperty("rootfs", out var rootfs) && rootfs.TryGetProperty("diff_ids", out var ids)
                && ids.ValueKind == JsonValueKind.Array)
                return ids.EnumerateArray().Select(x => x.GetString()).OfType<string>().Where(ReferenceGrammar.IsValidDigest).ToList();
            return [];
        }
        catch (JsonException ex)
        {
            throw new ImageSourceException($"The image config is not valid JSON: {ex.Message}", ex);
        }
    }

    private async Task<byte[]> ReadMemberAsync(string name, int maxBytes, CancellationToken cancellationToken)
    {
        var found = _index!.Find(name) ?? throw new ImageSourceException($"The docker archive '{_index.ArchivePath}' has no '{name}'.");
        if (found.Length > maxBytes) throw new ImageSourceException($"'{name}' in the docker archive is {found.Length} bytes, over the {maxBytes} limit.");
        await using var stream = _index.Open(name);
        var buffer = new byte[found.Length];
        await stream.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        return buffer;
    }

    private async Task<string> SniffLayerTypeAsync(string name, CancellationToken cancellationToken)
    {
        await using var stream = _index!.Open(name);
        var head = new byte[4];
        var n = await stream.ReadAtLeastAsync(head, 4, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) return MediaTypes.DockerLayerGzip;
        if (n >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd) return MediaTypes.OciLayerZstd;
        return MediaTypes.DockerLayer;
    }

    private async Task<string> HashMemberAsync(string name, CancellationToken cancellationToken)
    {
        await using var stream = _index!.Open(name);
        var hash = await System.Security.Cryptography.SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return "sha256:" + Convert.ToHexStringLower(hash);
    }

    private static string? DigestFromName(string member)
    {
        var m = ContentAddressedName().Match(member);
        return m.Success ? "sha256:" + m.Groups["hex"].Value : null;
    }

    // <hex>.tar, <hex>.tar.gz, <hex>/layer.tar is NOT content-addressed (a v1 layer id), blobs/sha256/<hex> is.
    [GeneratedRegex(@"^(?:blobs/sha256/(?<hex>[a-f0-9]{64})|(?<hex>[a-f0-9]{64})(?:\.tar(?:\.gz|\.zst)?)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex ContentAddressedName();

    private sealed record ArchiveEntry(string Config, List<string> RepoTags, List<string> Layers);
}

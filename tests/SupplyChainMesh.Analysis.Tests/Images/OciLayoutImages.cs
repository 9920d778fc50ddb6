using System.Text.Json;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Images;

/// <summary>
/// Just enough of an OCI image layout reader for these tests (index.json -> manifest -> layer blobs); the real one is
/// the Oci library's.
/// </summary>
internal static class OciLayoutImages
{
    public static string Layout => Path.Combine(RepositoryLayout.TestImages, "oci");

    public static string Expected(string tag, string file) => Path.Combine(RepositoryLayout.TestImages, "expected", tag, file);

    public static IReadOnlyList<LayerSource> Layers(string tag)
    {
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Layout, "index.json")));
        var manifestDigest = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(m => m.TryGetProperty("annotations", out var a)
                         && a.TryGetProperty("org.opencontainers.image.ref.name", out var name)
                         && name.GetString() == tag)
            .GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(BlobPath(manifestDigest)));
        return manifest.RootElement.GetProperty("layers").EnumerateArray()
            .Select(l =>
            {
                var digest = l.GetProperty("digest").GetString()!;
                var path = BlobPath(digest);
                return new LayerSource(digest, l.GetProperty("mediaType").GetString()!, l.GetProperty("size").GetInt64(),
                    _ => ValueTask.FromResult<Stream>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
                        FileOptions.Asynchronous | FileOptions.SequentialScan)));
            })
            .ToArray();
    }

    public static string BlobPath(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        return Path.Combine(Layout, "blobs", digest[..colon], digest[(colon + 1)..]);
    }
}

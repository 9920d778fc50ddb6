using System.Text.Json;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Oci.Tests.Infrastructure;

/// <summary>Facts about the built test images, read from the layout's own index.json (not hard-coded).</summary>
internal static class TestImages
{
    public static string OciLayout => Path.Combine(RepositoryLayout.TestImages, "oci");

    public static string Tar(string tag) => Path.Combine(RepositoryLayout.TestImages, "tars", tag + ".tar");

    public static string ManifestDigest(string tag)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(OciLayout, "index.json")));
        foreach (var m in doc.RootElement.GetProperty("manifests").EnumerateArray())
        {
            if (m.GetProperty("annotations").GetProperty("org.opencontainers.image.ref.name").GetString() == tag)
                return m.GetProperty("digest").GetString()!;
        }
        throw new InvalidOperationException($"No image {tag} in the test layout.");
    }

    public static byte[] Blob(string digest) => File.ReadAllBytes(Path.Combine(OciLayout, "blobs", "sha256", digest[7..]));
}

using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.EndToEnd;

/// <summary>
/// A one-layer image nobody has seen before (a file with unique content), built offline with umoci into an OCI layout:
/// for tests that need a layer that is not yet analysed, or many distinct images.
/// </summary>
internal static class TinyImage
{
    /// <summary>Creates the image as <c>oci:LAYOUT:TAG</c> and returns the layout folder.</summary>
    public static async Task<string> CreateAsync(string layout, string tag, string content)
    {
        if (!Directory.Exists(layout)) await RunAsync("umoci", "init", "--layout", layout);
        await RunAsync("umoci", "new", "--image", $"{layout}:{tag}");
        await AddLayerAsync(layout, tag, content);
        return layout;
    }

    /// <summary>Adds one more layer (a new file with the given content) on top of <c>oci:LAYOUT:TAG</c>.</summary>
    /// <remarks>Unpack, add, repack: umoci 0.4.7's <c>insert</c> writes a tar without its end-of-archive blocks, which
    /// GNU tar and our scanner rightly call truncated.</remarks>
    public static async Task AddLayerAsync(string layout, string tag, string content)
    {
        var bundle = Path.Combine(Path.GetTempPath(), $"scm-tiny-{Guid.NewGuid():N}");
        try
        {
            await RunAsync("umoci", "unpack", "--rootless", "--image", $"{layout}:{tag}", bundle);
            var etc = Path.Combine(bundle, "rootfs", "etc");
            Directory.CreateDirectory(etc);
            await File.WriteAllTextAsync(Path.Combine(etc, $"scm-tiny-{Guid.NewGuid():N}.txt"), content);
            await RunAsync("umoci", "repack", "--image", $"{layout}:{tag}", bundle);
        }
        finally
        {
            if (Directory.Exists(bundle)) Directory.Delete(bundle, recursive: true);
        }
    }

    /// <summary>The layer digests of <c>oci:LAYOUT:TAG</c>, bottom first.</summary>
    public static async Task<IReadOnlyList<string>> LayerDigestsAsync(string layout, string tag)
    {
        using var index = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(layout, "index.json")));
        var manifestDigest = index.RootElement.GetProperty("manifests").EnumerateArray()
            .First(m => m.TryGetProperty("annotations", out var a) && a.TryGetProperty("org.opencontainers.image.ref.name", out var n) && n.GetString() == tag)
            .GetProperty("digest").GetString()!;
        var manifestPath = Path.Combine(layout, "blobs", "sha256", manifestDigest["sha256:".Length..]);
        using var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath));
        return [.. manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!)];
    }

    private static Task<string> RunAsync(string file, params string[] args) => ProcessRunner.RunCheckedAsync(file, args);
}

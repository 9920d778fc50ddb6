using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace SupplyChainMesh.Cli.Tests;

/// <summary>Writes a one-layer OCI image layout (gzip layer, config, manifest, index.json) from a set of files.</summary>
internal static class OciLayoutBuilder
{
    public static string Write(string directory, string tag, IReadOnlyDictionary<string, byte[]> files)
    {
        Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256"));
        using var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(content), Mode = (UnixFileMode)0b110_100_100 };
                writer.WriteEntry(entry);
            }
        }
        var diffId = Digest(tar.ToArray());
        using var gzip = new MemoryStream();
        using (var z = new GZipStream(gzip, CompressionLevel.Fastest, leaveOpen: true)) z.Write(tar.ToArray());
        var layer = WriteBlob(directory, gzip.ToArray());

        var config = WriteBlob(directory, Json(new Dictionary<string, object>
        {
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = new[] { diffId } },
        }));
        var manifest = WriteBlob(directory, Json(new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", config),
            ["layers"] = new[] { Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer) },
        }));
        var index = new Dictionary<string, object>
        {
            ["schemaVersion"] = 2,
            ["manifests"] = new[]
            {
                new Dictionary<string, object>(Descriptor("application/vnd.oci.image.manifest.v1+json", manifest))
                {
                    ["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = tag },
                },
            },
        };
        File.WriteAllBytes(Path.Combine(directory, "index.json"), Json(index));
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
        return manifest.Digest;
    }

    /// <summary>A jar as Maven builds it, as far as a scanner reads it: the pom.properties of its own coordinates.</summary>
    public static byte[] Jar(string groupId, string artifactId, string version)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var manifest = new StreamWriter(zip.CreateEntry("META-INF/MANIFEST.MF").Open()))
                manifest.Write("Manifest-Version: 1.0\r\nCreated-By: Maven Jar Plugin 3.2.0\r\n\r\n");
            using var pom = new StreamWriter(zip.CreateEntry($"META-INF/maven/{groupId}/{artifactId}/pom.properties").Open());
            pom.Write($"artifactId={artifactId}\ngroupId={groupId}\nversion={version}\n");
        }
        return buffer.ToArray();
    }

    private static (string Digest, long Size) WriteBlob(string directory, byte[] bytes)
    {
        var digest = Digest(bytes);
        File.WriteAllBytes(Path.Combine(directory, "blobs", "sha256", digest["sha256:".Length..]), bytes);
        return (digest, bytes.Length);
    }

    private static Dictionary<string, object> Descriptor(string mediaType, (string Digest, long Size) blob) =>
        new() { ["mediaType"] = mediaType, ["digest"] = blob.Digest, ["size"] = blob.Size };

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static byte[] Json(object value) => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(value));
}

using System.Text;
using System.Text.Json;
using SupplyChainMesh.Oci;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.Registry;

namespace SupplyChainMesh.Mesh.Tests;

/// <summary>OCI artifacts attached to images on the real registry, as <c>oras attach</c> pushes them.</summary>
public static class ReferrerArtifacts
{
    /// <summary>An OpenVEX document saying the app-mixed image's minimist (CVE-2021-44906) is not affected.</summary>
    public static byte[] MinimistNotAffected(string repository, string subjectDigest) => Encoding.UTF8.GetBytes($$"""
        {
          "@context": "https://openvex.dev/ns/v0.2.0",
          "@id": "https://example.com/vex/{{repository}}",
          "author": "Shop security team",
          "timestamp": "2026-11-29T12:00:00Z",
          "version": 1,
          "statements": [
            {
              "vulnerability": { "name": "CVE-2021-44906" },
              "products": [ { "@id": "{{subjectDigest}}", "subcomponents": [ { "@id": "pkg:npm/minimist" } ] } ],
              "status": "not_affected",
              "justification": "vulnerable_code_not_in_execute_path",
              "impact_statement": "minimist only parses the build script's own arguments"
            }
          ]
        }
        """);

    /// <summary>Pushes an artifact manifest whose subject is <paramref name="subject"/>, and adds it to the subject's
    /// fallback referrers index (<c>sha256-&lt;hex&gt;</c>), as <c>oras attach</c> does on a registry without the API
    /// (Distribution 2.8). Returns the artifact manifest's digest.</summary>
    public static async Task<string> AttachAsync(RegistryClient client, string repository, BlobDescriptor subject, string artifactType, byte[] document)
    {
        var empty = "{}"u8.ToArray();
        var emptyDigest = Digests.Sha256(empty);
        var documentDigest = Digests.Sha256(document);
        await client.PushBlobAsync(repository, emptyDigest, new MemoryStream(empty), empty.Length);
        await client.PushBlobAsync(repository, documentDigest, new MemoryStream(document), document.Length);
        var manifest = JsonSerializer.SerializeToUtf8Bytes(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            ArtifactType = artifactType,
            Config = new BlobDescriptor { MediaType = MediaTypes.OciEmpty, Digest = emptyDigest, Size = empty.Length },
            Layers = [new BlobDescriptor { MediaType = artifactType, Digest = documentDigest, Size = document.Length }],
            Subject = new BlobDescriptor { MediaType = subject.MediaType, Digest = subject.Digest, Size = subject.Size },
        });
        var digest = await client.PutManifestAsync(repository, Digests.Sha256(manifest), manifest, MediaTypes.OciManifest);
        var index = JsonSerializer.SerializeToUtf8Bytes(new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests = [new BlobDescriptor { MediaType = MediaTypes.OciManifest, Digest = digest, Size = manifest.Length, ArtifactType = artifactType }],
        });
        await client.PutManifestAsync(repository, RegistryClient.ReferrersTag(subject.Digest), index, MediaTypes.OciIndex);
        return digest;
    }
}

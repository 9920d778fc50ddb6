using System.Text;
using System.Text.Json;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.Tests.Infrastructure;

namespace SupplyChainMesh.Oci.Tests.Manifests;

/// <summary>Images are told from other OCI artifacts: every manifest of the real test images is an image; VEX, Helm and
/// cosign signature manifests (in the shapes oras, helm and cosign push) are artifacts.</summary>
public sealed class ArtifactManifestsTests
{
    [Fact]
    public void Every_real_test_image_is_an_image()
    {
        var layout = TestImages.OciLayout;
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        var manifests = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("digest").GetString()!["sha256:".Length..])
            .Select(hex => ManifestDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "blobs", "sha256", hex))))
            .Where(d => d.Manifest is not null)
            .ToList();
        Assert.NotEmpty(manifests);
        Assert.All(manifests, d => Assert.Null(ArtifactManifests.ArtifactTypeOf(d.Manifest!)));
    }

    private static ImageManifest Parse(string json) => ManifestDocument.Parse(Encoding.UTF8.GetBytes(json)).Manifest!;

    private const string Empty = """{"mediaType":"application/vnd.oci.empty.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2}""";
    private const string Subject = """{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:1111111111111111111111111111111111111111111111111111111111111111","size":500}""";

    [Fact]
    public void A_VEX_referrer_is_an_artifact_of_its_artifact_type()
    {
        var vex = Parse($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"application/vnd.openvex+json",
             "config":{{Empty}},
             "layers":[{"mediaType":"application/vnd.openvex+json","digest":"sha256:2222222222222222222222222222222222222222222222222222222222222222","size":300}],
             "subject":{{Subject}}}
            """);
        Assert.Equal("application/vnd.openvex+json", ArtifactManifests.ArtifactTypeOf(vex));
    }

    [Fact]
    public void A_Helm_chart_is_an_artifact_by_its_config()
    {
        var chart = Parse("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.cncf.helm.config.v1+json","digest":"sha256:3333333333333333333333333333333333333333333333333333333333333333","size":150},
             "layers":[{"mediaType":"application/vnd.cncf.helm.chart.content.v1.tar+gzip","digest":"sha256:4444444444444444444444444444444444444444444444444444444444444444","size":3000}]}
            """);
        Assert.Equal("application/vnd.cncf.helm.config.v1+json", ArtifactManifests.ArtifactTypeOf(chart));
    }

    [Fact]
    public void A_cosign_signature_is_an_artifact_by_its_layers_though_its_config_is_an_image_config()
    {
        var signature = Parse("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:5555555555555555555555555555555555555555555555555555555555555555","size":233},
             "layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","digest":"sha256:6666666666666666666666666666666666666666666666666666666666666666","size":250}]}
            """);
        Assert.Equal("application/vnd.dev.cosign.simplesigning.v1+json", ArtifactManifests.ArtifactTypeOf(signature));
    }

    [Theory]
    [InlineData("application/vnd.oci.image.layer.v1.tar", true)]
    [InlineData("application/vnd.oci.image.layer.v1.tar+zstd", true)]
    [InlineData("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip", true)]
    [InlineData("application/vnd.docker.image.rootfs.diff.tar.gzip", true)]
    [InlineData("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", true)]
    [InlineData("application/vnd.openvex+json", false)]
    [InlineData("application/vnd.cncf.helm.chart.content.v1.tar+gzip", false)]
    [InlineData(null, false)]
    public void Filesystem_layers_are_the_image_specs_layer_types(string? mediaType, bool expected) =>
        Assert.Equal(expected, ArtifactManifests.IsFilesystemLayer(mediaType));
}

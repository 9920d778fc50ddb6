using System.Text;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Oci.Tests.Infrastructure;

namespace SupplyChainMesh.Oci.Tests.Manifests;

public class ManifestAndPlatformTests
{
    private static BlobDescriptor Entry(string platform, char fill, string mediaType = MediaTypes.OciManifest) => new()
    {
        MediaType = mediaType,
        Digest = "sha256:" + new string(fill, 64),
        Size = 100,
        Platform = Platform.Parse(platform),
    };

    private static readonly ImageIndex MultiArch = new()
    {
        Manifests =
        [
            Entry("linux/amd64", 'a'),
            Entry("linux/arm/v6", 'b'),
            Entry("linux/arm/v7", 'c'),
            Entry("linux/arm64/v8", 'd'),
            Entry("linux/amd64/v3", 'e'),
            Entry("unknown/unknown", 'f'),
            Entry("windows/amd64", '1'),
        ],
    };

    [Theory]
    [InlineData(null, 'a')]
    [InlineData("linux/amd64", 'a')]
    [InlineData("linux/amd64/v3", 'e')]
    [InlineData("linux/amd64/v2", 'a')] // no v2: the v1 image runs there
    [InlineData("linux/arm64", 'd')]
    [InlineData("linux/arm64/v8", 'd')]
    [InlineData("linux/arm", 'c')]
    [InlineData("linux/arm/v6", 'b')]
    [InlineData("linux/arm/v8", 'c')]
    [InlineData("windows/amd64", '1')]
    public void Selects_the_platform_variant_aware(string? wanted, char expected)
    {
        var chosen = PlatformSelector.Select(MultiArch, wanted is null ? null : Platform.Parse(wanted));
        Assert.Equal("sha256:" + new string(expected, 64), chosen.Digest);
    }

    [Fact]
    public void A_missing_platform_names_the_available_ones()
    {
        var ex = Assert.Throws<NoMatchingPlatformException>(() => PlatformSelector.Select(MultiArch, Platform.Parse("linux/s390x")));
        Assert.Contains("linux/arm64/v8", ex.Message, StringComparison.Ordinal);
        Assert.Equal(6, PlatformSelector.SelectAll(MultiArch).Count); // all but unknown/unknown
    }

    [Fact]
    public void Parses_the_real_test_manifest_and_keeps_its_bytes_and_digest()
    {
        var digest = TestImages.ManifestDigest("app-mixed");
        var bytes = TestImages.Blob(digest);
        var doc = ManifestDocument.Parse(bytes, "application/json");
        Assert.Equal(digest, doc.Digest);
        Assert.Equal(MediaTypes.OciManifest, doc.MediaType);
        Assert.Equal(3, doc.Manifest!.Layers.Count);
        Assert.All(doc.Manifest.Layers, l => Assert.Equal(MediaTypes.OciLayerGzip, l.MediaType));
        Assert.Equal(bytes, doc.Bytes.ToArray());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"schemaVersion":1,"name":"x","fsLayers":[]}""")]
    [InlineData("""{"schemaVersion":2,"mediaType":"application/vnd.unknown+json"}""")]
    [InlineData("""{"schemaVersion":2,"config":{"mediaType":"x","digest":"sha256:zz","size":1},"layers":[]}""")]
    [InlineData("""{"schemaVersion":2,"config":"nope"}""")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"mediaType":"x","digest":"md5:1","size":1}]}""")]
    public void Malformed_manifests_are_typed_errors(string json)
    {
        Assert.Throws<ManifestFormatException>(() => ManifestDocument.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void Media_type_comes_from_the_document_then_the_header_then_the_shape()
    {
        var bare = """{"schemaVersion":2,"config":{"mediaType":"a","digest":"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef","size":1},"layers":[]}"""u8.ToArray();
        Assert.Equal(MediaTypes.DockerManifest, ManifestDocument.Parse(bare, MediaTypes.DockerManifest + "; charset=utf-8").MediaType);
        Assert.Equal(MediaTypes.OciManifest, ManifestDocument.Parse(bare).MediaType);
        Assert.True(ManifestDocument.Parse("""{"schemaVersion":2,"manifests":[]}"""u8.ToArray()).IsIndex);
    }

    [Theory]
    [InlineData("""realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull" """,
        "https://auth.docker.io/token", "registry.docker.io", "repository:library/nginx:pull")]
    [InlineData("""realm="http://h/t", scope="repository:a/b:pull,push repository:c:pull",service=svc""",
        "http://h/t", "svc", "repository:a/b:pull,push repository:c:pull")]
    [InlineData("""realm="a\"b",error="invalid_token" """, "a\"b", null, null)]
    public void Parses_bearer_challenges_with_quoted_commas_and_escapes(string parameters, string realm, string? service, string? scope)
    {
        var c = AuthChallenge.Parse("Bearer", parameters);
        Assert.True(c.IsBearer);
        Assert.Equal(realm, c.Realm);
        Assert.Equal(service, c.Service);
        Assert.Equal(scope, c.Scope);
    }

    [Fact]
    public async Task Digest_verifying_stream_checks_size_and_hash_at_the_end()
    {
        var data = "hello layer"u8.ToArray();
        var digest = Digests.Sha256(data);
        await using (var ok = new SupplyChainMesh.Oci.IO.DigestVerifyingStream(new MemoryStream(data), digest, data.Length))
        {
            await ok.DrainAsync();
            Assert.True(ok.Verified);
        }
        await using (var shorter = new SupplyChainMesh.Oci.IO.DigestVerifyingStream(new MemoryStream(data), digest, data.Length + 1))
            Assert.Null((await Assert.ThrowsAsync<DigestMismatchException>(() => shorter.DrainAsync())).Actual);
        await using (var longer = new SupplyChainMesh.Oci.IO.DigestVerifyingStream(new MemoryStream(data), digest, data.Length - 1))
            await Assert.ThrowsAsync<DigestMismatchException>(() => longer.DrainAsync());
        var other = Digests.Sha256("other"u8);
        await using var wrong = new SupplyChainMesh.Oci.IO.DigestVerifyingStream(new MemoryStream(data), other, data.Length);
        var ex = await Assert.ThrowsAsync<DigestMismatchException>(() => wrong.DrainAsync());
        Assert.Equal(digest, ex.Actual);
        Assert.Equal(other, ex.Expected);
    }

    [Fact]
    public async Task VerifyOnDispose_checks_what_a_consumer_that_stopped_early_left_unread()
    {
        var data = new byte[10_000];
        data[9_000] = 1;
        var digest = Digests.Sha256(data);
        data[9_000] = 2; // tampered after the part the consumer reads
        var stream = new SupplyChainMesh.Oci.IO.DigestVerifyingStream(new MemoryStream(data), digest, data.Length) { VerifyOnDispose = true };
        await stream.ReadExactlyAsync(new byte[100]);
        await Assert.ThrowsAsync<DigestMismatchException>(() => stream.DisposeAsync().AsTask());

        data[9_000] = 1;
        var intact = new SupplyChainMesh.Oci.IO.DigestVerifyingStream(new MemoryStream(data), digest, data.Length) { VerifyOnDispose = true };
        await intact.ReadExactlyAsync(new byte[100]);
        await intact.DisposeAsync();
        Assert.True(intact.Verified);
    }

    [Fact]
    public void Backoff_honours_Retry_After_up_to_the_cap_and_grows_otherwise()
    {
        using var client = new RegistryClient("127.0.0.1:5101", new RegistryClientOptions
        {
            InitialRetryDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromSeconds(5),
        });
        Assert.Equal(TimeSpan.FromSeconds(2), client.Backoff(0, TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(5), client.Backoff(0, TimeSpan.FromHours(1)));
        var first = client.Backoff(0, null);
        var fourth = client.Backoff(3, null);
        Assert.InRange(first.TotalMilliseconds, 80, 120);
        Assert.InRange(fourth.TotalMilliseconds, 640, 960);
        Assert.Equal(TimeSpan.FromSeconds(5), client.Backoff(20, null));
    }
}

using SupplyChainMesh.Oci.References;

namespace SupplyChainMesh.Oci.Tests.References;

public class ImageReferenceTests
{
    private const string Sha = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("nginx", "docker.io", "library/nginx", "latest", null)]
    [InlineData("nginx:1.25", "docker.io", "library/nginx", "1.25", null)]
    [InlineData("bitnami/nginx:1.25", "docker.io", "bitnami/nginx", "1.25", null)]
    [InlineData("docker.io/library/nginx@" + Sha, "docker.io", "library/nginx", null, Sha)]
    [InlineData("docker.io/nginx", "docker.io", "library/nginx", "latest", null)]
    [InlineData("index.docker.io/nginx:1", "docker.io", "library/nginx", "1", null)]
    [InlineData("localhost:5000/dev/app:latest", "localhost:5000", "dev/app", "latest", null)]
    [InlineData("localhost/app", "localhost", "app", "latest", null)]
    [InlineData("ghcr.io/org/team/app:v1.2.3@" + Sha, "ghcr.io", "org/team/app", "v1.2.3", Sha)]
    [InlineData("127.0.0.1:5101/dev/app", "127.0.0.1:5101", "dev/app", "latest", null)]
    [InlineData("[::1]:5000/dev/app:x", "[::1]:5000", "dev/app", "x", null)]
    [InlineData("docker://127.0.0.1:5101/dev/app:latest", "127.0.0.1:5101", "dev/app", "latest", null)]
    [InlineData("docker://nginx", "docker.io", "library/nginx", "latest", null)]
    [InlineData("docker://quay.io/a/b-c__d.e@" + Sha, "quay.io", "a/b-c__d.e", null, Sha)]
    [InlineData("myregistry:5000/app", "myregistry:5000", "app", "latest", null)]
    public void Parses_registry_references_with_docker_normalisation(string text, string registry, string repository, string? tag, string? digest)
    {
        var r = ImageReference.Parse(text);
        Assert.Equal(ImageTransport.Registry, r.Transport);
        Assert.Equal(registry, r.Registry);
        Assert.Equal(repository, r.Repository);
        Assert.Equal(tag, r.Tag);
        Assert.Equal(digest, r.Digest);
        Assert.Equal(digest ?? tag, r.ManifestReference);
        Assert.Null(r.Path);
    }

    [Theory]
    [InlineData("nginx", "docker://docker.io/library/nginx:latest", "nginx:latest")]
    [InlineData("localhost:5000/dev/app:1", "docker://localhost:5000/dev/app:1", "localhost:5000/dev/app:1")]
    [InlineData("bitnami/nginx@" + Sha, "docker://docker.io/bitnami/nginx@" + Sha, "bitnami/nginx@" + Sha)]
    public void Formats_and_round_trips(string text, string formatted, string familiar)
    {
        var r = ImageReference.Parse(text);
        Assert.Equal(formatted, r.ToString());
        Assert.Equal(familiar, r.ToFamiliarString());
        Assert.Equal(r, ImageReference.Parse(r.ToString()));
        Assert.Equal(r, ImageReference.Parse(r.ToCanonicalString()));
    }

    [Theory]
    [InlineData("oci:/work/images", "/work/images", null)]
    [InlineData("oci:/work/images:bookworm-minbase", "/work/images", "bookworm-minbase")]
    [InlineData("oci:relative/dir:v1.0", "relative/dir", "v1.0")]
    public void Parses_oci_layout_references(string text, string path, string? tag)
    {
        var r = ImageReference.Parse(text);
        Assert.Equal(ImageTransport.OciLayout, r.Transport);
        Assert.Equal(path, r.Path);
        Assert.Equal(tag, r.Tag);
        Assert.Null(r.Registry);
        Assert.Equal(text, r.ToString());
    }

    [Theory]
    [InlineData("docker-archive:/tmp/a.tar", "/tmp/a.tar", null)]
    [InlineData("docker-archive:img.tar:app:1", "img.tar", "app:1")]
    public void Parses_docker_archive_references(string text, string path, string? selector)
    {
        var r = ImageReference.Parse(text);
        Assert.Equal(ImageTransport.DockerArchive, r.Transport);
        Assert.Equal(path, r.Path);
        Assert.Equal(selector, r.Tag);
        Assert.Equal(text, r.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("Nginx")] // uppercase first segment is a registry, then the repository is missing
    [InlineData("docker.io/Library/nginx")]
    [InlineData("localhost:5000/../etc/passwd")]
    [InlineData("localhost:5000/dev/../app")]
    [InlineData("localhost:5000/dev/./app")]
    [InlineData("localhost:5000//app")]
    [InlineData("localhost:5000/app/")]
    [InlineData("localhost:5000/%2e%2e/app")]
    [InlineData("-app")]
    [InlineData("app-")]
    [InlineData("a..b")]
    [InlineData("app:")]
    [InlineData("app:-tag")]
    [InlineData("app:tag/with/slash@x")]
    [InlineData("app@sha256:abc")]
    [InlineData("app@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef")]
    [InlineData("app@md5")]
    [InlineData("http://localhost/app")]
    [InlineData("docker://")]
    [InlineData("oci:")]
    [InlineData("oci:/dir:")]
    [InlineData("oci:/dir:../x")]
    [InlineData("docker-archive:")]
    [InlineData("docker-archive:a.tar:Bad Ref")]
    [InlineData("app\n")]
    [InlineData("bad host!/app")]
    public void Rejects_invalid_references_with_a_typed_error(string text)
    {
        var ex = Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(text));
        Assert.Contains("Invalid image reference", ex.Message, StringComparison.Ordinal);
        Assert.False(ImageReference.TryParse(text, out _));
    }

    [Fact]
    public void Rejects_tags_longer_than_128_and_names_longer_than_255()
    {
        Assert.True(ImageReference.TryParse("app:" + new string('a', 128), out _));
        Assert.False(ImageReference.TryParse("app:" + new string('a', 129), out _));
        Assert.False(ImageReference.TryParse("reg.io/" + new string('a', 250), out _));
    }

    [Fact]
    public void WithTag_and_WithDigest_keep_the_repository()
    {
        var r = ImageReference.Parse("localhost:5000/dev/app:latest");
        Assert.Equal("docker://localhost:5000/qa/app:latest", ImageReference.ForRegistry(r.Registry!, "qa/app", "latest").ToString());
        var pinned = r.WithDigest(Sha);
        Assert.Null(pinned.Tag);
        Assert.Equal(Sha, pinned.ManifestReference);
        Assert.Equal("v2", r.WithTag("v2").Tag);
        Assert.Throws<ImageReferenceException>(() => r.WithTag("bad tag"));
        Assert.Throws<InvalidOperationException>(() => ImageReference.Parse("oci:/x").WithTag("a"));
    }
}

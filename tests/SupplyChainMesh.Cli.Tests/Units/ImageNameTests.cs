using SupplyChainMesh.Cli.Commands;

namespace SupplyChainMesh.Cli.Tests.Units;

public class ImageNameTests
{
    [Theory]
    [InlineData("dev/app:1.0", "dev/app", "1.0", null)]
    [InlineData("dev/app", "dev/app", "latest", null)]
    [InlineData("127.0.0.1:5050/dev/app:1.0", "dev/app", "1.0", null)]
    [InlineData("registry.example.com/qa/app", "qa/app", "latest", null)]
    [InlineData("localhost/app:2", "app", "2", null)]
    [InlineData("dev/app@sha256:8a607623c699f66b7c65882be2bd82bab85f086ad52929a3d4dbd5b801aff793", "dev/app", null, "sha256:8a607623c699f66b7c65882be2bd82bab85f086ad52929a3d4dbd5b801aff793")]
    [InlineData("dev/app:1.0@sha256:8a607623c699f66b7c65882be2bd82bab85f086ad52929a3d4dbd5b801aff793", "dev/app", "1.0", "sha256:8a607623c699f66b7c65882be2bd82bab85f086ad52929a3d4dbd5b801aff793")]
    public void Parses_what_the_catalogue_keys_on(string text, string repository, string? tag, string? digest)
    {
        var name = ImageName.Parse(text);
        Assert.Equal(repository, name.Repository);
        Assert.Equal(tag, name.Tag);
        Assert.Equal(digest, name.Digest);
    }

    [Theory]
    [InlineData("")]
    [InlineData("dev/app:")]
    [InlineData("Dev/App:1")]
    [InlineData("dev/app@sha256:abc")]
    [InlineData("dev/app@md5:8a607623c699f66b7c65882be2bd82bab85f086ad52929a3d4dbd5b801aff793")]
    [InlineData("dev app:1")]
    public void Rejects_what_is_not_a_reference_as_usage(string text) =>
        Assert.Throws<UsageException>(() => ImageName.Parse(text));
}

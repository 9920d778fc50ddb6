using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Analysis.Tests.Layers;

public sealed class TarPathTests
{
    [Theory]
    [InlineData("usr/bin/ls", "usr/bin/ls")]
    [InlineData("./usr/bin/ls", "usr/bin/ls")]
    [InlineData("/usr/bin/ls", "usr/bin/ls")]
    [InlineData("usr//bin/./ls", "usr/bin/ls")]
    [InlineData("etc/", "etc")]
    [InlineData(".", "")]
    [InlineData("./", "")]
    [InlineData("a/b/../c", "a/c")]
    [InlineData("home/.bashrc", "home/.bashrc")]
    [InlineData(".wh.file", ".wh.file")]
    [InlineData("a/..b/c", "a/..b/c")]
    public void Normalises(string name, string expected)
    {
        Assert.True(TarPath.TryNormalize(name, out var path));
        Assert.Equal(expected, path);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../b")]
    [InlineData("/../../etc/shadow")]
    public void Rejects_paths_above_the_root(string name) => Assert.False(TarPath.TryNormalize(name, out _));

    [Fact]
    public void Returns_clean_names_without_copying()
    {
        const string name = "usr/lib/x86_64-linux-gnu/libc.so.6";
        Assert.True(TarPath.TryNormalize(name, out var path));
        Assert.Same(name, path);
    }
}

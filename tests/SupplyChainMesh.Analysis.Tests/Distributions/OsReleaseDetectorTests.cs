using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Tests.Layers;

namespace SupplyChainMesh.Analysis.Tests.Distributions;

public sealed class OsReleaseDetectorTests
{
    [Theory]
    [InlineData("etc/os-release", true)]
    [InlineData("usr/lib/os-release", true)]
    [InlineData("etc/debian_version", true)]
    [InlineData("etc/alpine-release", true)]
    [InlineData("etc/os-release.bak", false)]
    [InlineData("usr/share/doc/os-release", false)]
    [InlineData("e", false)]
    public void Wants_release_files_only(string path, bool wanted) =>
        Assert.Equal(wanted, new OsReleaseDetector().Wants(new LayerFile(path, 10, 0b110_100_100)));

    [Fact]
    public async Task The_layer_keeps_os_release_over_debian_version()
    {
        var blob = new TestLayer()
            .File("etc/debian_version", "12.4\n")
            .File("usr/lib/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n")
            .Gzip();

        var analysis = await new LayerReader([new OsReleaseDetector()]).ReadAsync(TestLayer.Source(blob), default);

        Assert.Equal(new Distribution("debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)"), analysis.Distribution);
        Assert.Equal("usr/lib/os-release", analysis.DistributionPath);
    }

    [Fact]
    public async Task An_os_release_without_an_id_is_a_problem()
    {
        var blob = new TestLayer().File("etc/os-release", "NAME=Mystery\n").Gzip();

        var analysis = await new LayerReader([new OsReleaseDetector()]).ReadAsync(TestLayer.Source(blob), default);

        Assert.Null(analysis.Distribution);
        Assert.Equal("etc/os-release", Assert.Single(analysis.Problems).Path);
    }
}

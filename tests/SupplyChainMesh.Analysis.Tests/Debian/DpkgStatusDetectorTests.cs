using SupplyChainMesh.Analysis.Debian;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Tests.Layers;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Debian;

public sealed class DpkgStatusDetectorTests
{
    [Theory]
    [InlineData("var/lib/dpkg/status", true)]
    [InlineData("var/lib/dpkg/status.d/base-files", true)]
    [InlineData("var/lib/dpkg/status.d/libssl3.md5sums", false)]
    [InlineData("var/lib/dpkg/status.d/nested/x", false)]
    [InlineData("var/lib/dpkg/info/libc6:amd64.list", true)]
    [InlineData("var/lib/dpkg/info/libc6:amd64.md5sums", false)]
    [InlineData("var/lib/dpkg/status-old", false)]
    [InlineData("var/lib/dpkg/available", false)]
    [InlineData("usr/share/doc/status", false)]
    [InlineData("v", false)]
    public void Wants_the_dpkg_database_only(string path, bool wanted) =>
        Assert.Equal(wanted, new DpkgStatusDetector().Wants(new LayerFile(path, 100, 0b110_100_100)));

    [Fact]
    public async Task Reads_a_distroless_status_d_layer()
    {
        var dir = Path.Combine(RepositoryLayout.Fixtures, "dpkg", "distroless-debian", "var", "lib", "dpkg", "status.d");
        var layer = new TestLayer();
        foreach (var file in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            layer.File("var/lib/dpkg/status.d/" + Path.GetFileName(file), File.ReadAllBytes(file));
        layer.File("var/lib/dpkg/status.d/dash.md5sums", "d41d8cd98f00b204e9800998ecf8427e  bin/dash\n");

        var analysis = await new LayerReader([new DpkgStatusDetector()]).ReadAsync(TestLayer.Source(layer.Gzip()), default);

        Assert.Equal(["dash 0.5.8-2.4 var/lib/dpkg/status.d/dash", "netbase 5.4 var/lib/dpkg/status.d/netbase"],
            analysis.Packages.Select(p => $"{p.Name} {p.Version} {p.Path}").Order(StringComparer.Ordinal));
        Assert.All(analysis.Packages, p => Assert.Equal(("deb", "dpkg"), (p.Type, p.Detector)));
        Assert.Empty(analysis.Problems);
    }

    [Fact]
    public async Task Owned_files_come_from_info_lists_normalised()
    {
        var blob = new TestLayer()
            .File("var/lib/dpkg/info/python3-requests.list", "/.\n/usr\n/usr/lib/python3/dist-packages/requests/__init__.py\r\n")
            .Gzip();

        var analysis = await new LayerReader([new DpkgStatusDetector()]).ReadAsync(TestLayer.Source(blob), default);

        Assert.Equal(["usr", "usr/lib/python3/dist-packages/requests/__init__.py"], analysis.OsOwnedFiles);
        Assert.Empty(analysis.Packages);
    }

    [Fact]
    public async Task A_malformed_status_is_a_problem_and_the_good_stanzas_still_count()
    {
        var blob = new TestLayer()
            .File("var/lib/dpkg/status", "Package: ok\nStatus: install ok installed\nVersion: 1\n\nthis is not dpkg\n\nPackage: broken\nStatus: install ok installed\n")
            .Gzip();

        var analysis = await new LayerReader([new DpkgStatusDetector()]).ReadAsync(TestLayer.Source(blob), default);

        Assert.Equal(["ok"], analysis.Packages.Select(p => p.Name));
        Assert.Equal(2, analysis.Problems.Count);
        Assert.All(analysis.Problems, p => Assert.Equal("var/lib/dpkg/status", p.Path));
    }
}

using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Rpm;
using SupplyChainMesh.Analysis.Tests.Alpine;

namespace SupplyChainMesh.Analysis.Tests.Rpm;

public class RpmManifestAndSourceTests
{
    private static string ManifestFixture => Path.Combine(RpmFixtures.Root, "cbl-mariner-2.0-distroless", "container-manifest-2");

    [Fact]
    public async Task Mariner_distroless_manifest_reports_every_line_with_epoch_in_the_version()
    {
        var bytes = await File.ReadAllBytesAsync(ManifestFixture);
        var lines = File.ReadAllLines(ManifestFixture).Where(l => l.Length > 0).Select(l => l.Split('\t')).ToList();
        var detector = new RpmPackageDetector();
        var file = new LayerFile(RpmPackageDetector.ManifestPath, bytes.Length, 0x1A4);
        var sink = new RecordingSink();

        Assert.True(detector.Wants(file));
        await detector.DetectAsync(file, new MemoryStream(bytes), sink, CancellationToken.None);

        Assert.Empty(sink.Problems);
        Assert.Equal(lines.Select(l => l[0]), sink.Packages.Select(p => p.Name));
        var vim = Assert.Single(sink.Packages, p => p.Name == "vim");
        Assert.Equal("2:9.0-1.cm2", vim.Version);
        Assert.Equal("vim", vim.SourceName);
        Assert.Equal("2:9.0-1.cm2", vim.SourceVersion);
        var glibc = Assert.Single(sink.Packages, p => p.Name == "glibc");
        Assert.Equal("2.35-2.cm2", glibc.Version);
        Assert.Equal("x86_64", glibc.Arch);
        Assert.Equal("openssl", Assert.Single(sink.Packages, p => p.Name == "openssl-libs").SourceName);

    }

    [Fact]
    public void Manifest_line_with_too_few_fields_is_a_problem()
    {
        var problems = new List<string>();
        var headers = RpmManifestParser.Parse(new StringReader("bash\t5.1-1\nzlib\t1.2.12-1.cm2\t1\t2\tMicrosoft\t(none)\t3\tx86_64\t0\tzlib-1.2.12-1.cm2.src.rpm\n"), problems.Add);

        Assert.Equal("zlib", Assert.Single(headers).Name);
        Assert.Contains("line 1", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("util-linux-2.32.1-42.el8_8.src.rpm", "util-linux", "2.32.1", "42.el8_8")]
    [InlineData("system-release-2023.1.20230825-0.amzn2023.src.rpm", "system-release", "2023.1.20230825", "0.amzn2023")]
    [InlineData("crypto-policies-20220428-1.gitdfb10ea.amzn2023.0.2.src.rpm", "crypto-policies", "20220428", "1.gitdfb10ea.amzn2023.0.2")]
    [InlineData("kernel-5.14.0-1.nosrc.rpm", "kernel", "5.14.0", "1")]
    public void Source_rpm_names_split_at_the_last_two_dashes(string fileName, string name, string version, string release)
    {
        Assert.True(SourceRpm.TryParse(fileName, out var n, out var v, out var r));
        Assert.Equal((name, version, release), (n, v, r));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("(none)")]
    [InlineData("hello.src.rpm")]
    [InlineData("hello-1.src.rpm")]
    [InlineData("-1-2.src.rpm")]
    [InlineData("hello-1-2.x86_64.rpm")]
    public void Malformed_source_rpm_names_do_not_split(string? fileName)
    {
        Assert.False(SourceRpm.TryParse(fileName, out _, out _, out _));
    }

    [Fact]
    public void Epoch_zero_and_absent_both_give_version_release()
    {
        Assert.Equal("1.0-1", new RpmHeader("a", null, "1.0", "1", null, null, null, []).EpochVersionRelease);
        Assert.Equal("1.0-1", new RpmHeader("a", 0, "1.0", "1", null, null, null, []).EpochVersionRelease);
        Assert.Equal("3:1.0-1", new RpmHeader("a", 3, "1.0", "1", null, null, null, []).EpochVersionRelease);
    }

    [Fact]
    public void Detector_wants_exactly_the_database_locations()
    {
        var detector = new RpmPackageDetector();
        string[] wanted =
        [
            "var/lib/rpm/Packages", "var/lib/rpm/rpmdb.sqlite", "var/lib/rpm/Packages.db",
            "usr/lib/sysimage/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/Packages.db", "usr/lib/sysimage/rpm/Packages",
            "var/lib/rpmmanifest/container-manifest-2",
        ];
        Assert.All(wanted, p => Assert.True(detector.Wants(new LayerFile(p, 1, 0)), p));
        Assert.False(detector.Wants(new LayerFile("var/lib/rpm/Name", 1, 0)));
        Assert.False(detector.Wants(new LayerFile("var/lib/rpm/rpmdb.sqlite-shm", 1, 0)));
        Assert.False(detector.Wants(new LayerFile("home/me/var/lib/rpm/Packages", 1, 0)));
    }
}

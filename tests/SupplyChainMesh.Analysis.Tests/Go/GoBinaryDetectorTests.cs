using System.Text;
using SupplyChainMesh.Analysis.Go;
using SupplyChainMesh.Analysis.Tests.LanguageDetection;

namespace SupplyChainMesh.Analysis.Tests.Go;

public class GoBinaryDetectorTests
{
    private readonly GoBinaryDetector _detector = new();

    [Fact]
    public async Task App_mixed_esbuild_binary()
    {
        var expectedPaths = GroundTruthPaths("app-mixed");
        var scan = await TestImageScan.ScanAsync("app-mixed", _detector);
        var packages = scan.By("gobinary").ToList();
        Assert.Empty(scan.Problems);
        Assert.Equal(expectedPaths, packages.Select(p => p.Path).Distinct().Order(StringComparer.Ordinal));

        // Trivy's inventory of this image names golang.org/x/sys only: the Trivy release used for the peer SBOM
        // predates its reporting of `stdlib` and of the main module, which the current Trivy adds (and we do).
        var peer = PeerInventory.Components("app-mixed", "gobinary");
        Assert.NotEmpty(peer);
        var ours = packages.Select(p => (p.Namespace is null ? p.Name : p.Namespace + "/" + p.Name, p.Version)).ToHashSet();
        Assert.Superset(peer.Select(c => (c.Name, c.Version)).ToHashSet(), ours);
        Assert.Equal(
            ["github.com/evanw/esbuild@", "stdlib@v1.20.7"],
            ours.Except(peer.Select(c => (c.Name, c.Version))).Select(p => $"{p.Item1}@{p.Item2}").Order(StringComparer.Ordinal));

        var sys = Assert.Single(packages, p => p.Name == "sys");
        Assert.Equal("pkg:golang/golang.org/x/sys@v0.0.0-20220715151400-c0bba94af5f8", sys.Purl);
    }

    [Fact]
    public async Task Bookworm_apps_docker_registry_is_a_gopath_build_with_only_a_toolchain()
    {
        var scan = await TestImageScan.ScanAsync("bookworm-apps", _detector);
        var packages = scan.By("gobinary").ToList();
        Assert.Equal(GroundTruthPaths("bookworm-apps"), packages.Select(p => p.Path).Distinct().Order(StringComparer.Ordinal));
        // Debian builds docker-registry in GOPATH mode: its build info has a path line but no mod or dep lines.
        var stdlib = Assert.Single(packages);
        Assert.Equal(("stdlib", "v1.19.8", "usr/bin/docker-registry"), (stdlib.Name, stdlib.Version, stdlib.Path));
        Assert.Empty(scan.Problems);
    }

    private static List<string> GroundTruthPaths(string tag) =>
        [.. File.ReadAllLines(Path.Combine(TestImageScan.ImagesDirectory, "expected", tag, "go-binaries.txt"))
            .Where(l => l.Length > 0).Select(l => l.TrimStart('.', '/')).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Replacements_ldflags_versions_and_local_forks()
    {
        const string modInfo =
            "path\texample.com/tool/cmd/tool\n" +
            "mod\texample.com/tool\t(devel)\t\n" +
            "dep\tgithub.com/a/b\tv1.2.3\th1:x=\n" +
            "=>\tgithub.com/fork/b\tv1.2.4\th1:y=\n" +
            "dep\tgolang.org/x/net\tv0.17.0\th1:z=\n" +
            "dep\texample.com/local\tv0.1.0\t\n" +
            "=>\t../local\t\t\n" +
            "build\t-ldflags=\"-s -w -X main.version=2.5.1 -X 'example.com/tool/internal.buildDate=today'\"\n";
        var sink = await DetectorRun.BytesAsync(_detector, SyntheticGoElf("go1.21.5 X:boringcrypto", modInfo, dataOffset: 4096), "usr/local/bin/tool");
        Assert.Empty(sink.Problems);
        Assert.Equal(
            ["/stdlib@v1.21.5", "example.com/tool@2.5.1", "github.com/fork/b@v1.2.4", "golang.org/x/net@v0.17.0"],
            sink.Packages.Select(p => $"{p.Namespace}/{p.Name}@{p.Version}".Replace("//", "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Blob_found_when_it_straddles_a_read_chunk()
    {
        // The scanner reads 256 KiB chunks; put the aligned blob across the first boundary.
        var binary = SyntheticGoElf("go1.22.0", "path\tx\nmod\texample.com/x\tv1.0.0\t\n", dataOffset: 256 * 1024 - 16);
        var sink = await DetectorRun.BytesAsync(_detector, binary, "bin/x");
        Assert.Equal(["example.com/x@v1.0.0", "stdlib@v1.22.0"],
            sink.Packages.Select(p => (p.Namespace is null ? p.Name : p.Namespace + "/" + p.Name) + "@" + p.Version).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Random_bytes_behind_an_elf_magic_are_not_a_go_binary()
    {
        var random = new Random(42);
        var bytes = new byte[600_000];
        random.NextBytes(bytes);
        byte[] elf = [0x7f, (byte)'E', (byte)'L', (byte)'F'];
        elf.CopyTo(bytes, 0);
        var sink = await DetectorRun.BytesAsync(_detector, bytes, "usr/bin/noise");
        Assert.Empty(sink.Packages);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Truncated_or_lying_build_info_is_a_problem(bool truncate)
    {
        var binary = SyntheticGoElf("go1.21.0", "path\tx\nmod\tx\tv1\t\n", dataOffset: 1024);
        if (truncate)
        {
            Array.Resize(ref binary, 1024 + 32 + 4);
        }
        else
        {
            // A string length varint claiming ~2^63 bytes.
            var lie = new byte[] { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f };
            lie.CopyTo(binary, 1024 + 32);
        }
        var sink = await DetectorRun.BytesAsync(_detector, binary, "usr/bin/broken");
        Assert.Empty(sink.Packages);
        Assert.Single(sink.Problems);
    }

    [Fact]
    public async Task Pre_118_pointer_format_is_reported_as_unsupported()
    {
        var binary = SyntheticGoElf("go1.16", "", dataOffset: 2048);
        binary[2048 + 15] = 0; // flags without "version inline"
        var sink = await DetectorRun.BytesAsync(_detector, binary, "usr/bin/old");
        Assert.Empty(sink.Packages);
        Assert.Contains("pointer format", Assert.Single(sink.Problems).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("go1.21.5", "v1.21.5")]
    [InlineData("go1.22.3 X:boringcrypto", "v1.22.3")]
    [InlineData("devel go1.23-abcdef", null)]
    public void Stdlib_version_as_trivy_writes_it(string goVersion, string? expected) =>
        Assert.Equal(expected, GoBinaryDetector.StdlibVersion(goVersion));

    /// <summary>A 64-bit little-endian ELF header with no program headers, and a Go 1.18+ build info blob at <paramref name="dataOffset"/>.</summary>
    private static byte[] SyntheticGoElf(string goVersion, string modInfo, int dataOffset)
    {
        var blob = new MemoryStream();
        blob.WriteByte(0xff);
        blob.Write(" Go buildinf:"u8);
        blob.WriteByte(8);
        blob.WriteByte(2);
        blob.Write(new byte[16]);
        WriteString(blob, Encoding.UTF8.GetBytes(goVersion));
        var sentinelStart = Convert.FromHexString("3077af0c9274080241e1c107e6d618e6");
        var sentinelEnd = Convert.FromHexString("f932433186182072008242104116d8f2");
        WriteString(blob, modInfo.Length == 0 ? [] : [.. sentinelStart, .. Encoding.UTF8.GetBytes(modInfo), .. sentinelEnd]);
        var bytes = new byte[dataOffset + blob.Length + 4096];
        byte[] elf = [0x7f, (byte)'E', (byte)'L', (byte)'F'];
        elf.CopyTo(bytes, 0);
        bytes[4] = 2;
        bytes[5] = 1;
        blob.ToArray().CopyTo(bytes, dataOffset);
        return bytes;

        static void WriteString(Stream s, byte[] value)
        {
            var length = (ulong)value.Length;
            while (length >= 0x80)
            {
                s.WriteByte((byte)(length | 0x80));
                length >>= 7;
            }
            s.WriteByte((byte)length);
            s.Write(value);
        }
    }
}

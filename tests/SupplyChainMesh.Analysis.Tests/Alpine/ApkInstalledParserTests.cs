using System.Text;
using SupplyChainMesh.Analysis.Alpine;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Alpine;

public class ApkInstalledParserTests
{
    private static string ApkFixtures => Path.Combine(RepositoryLayout.Fixtures, "apk");

    /// <summary>Every apk fixture that has an oracle, as a path relative to the apk fixture folder.</summary>
    public static TheoryData<string> Databases()
    {
        var data = new TheoryData<string>();
        foreach (var oracle in Directory.EnumerateFiles(ApkFixtures, "*.expected.tsv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(ApkFixtures, oracle[..^".expected.tsv".Length]));
        return data;
    }

    [Fact]
    public void Every_apk_fixture_has_an_oracle()
    {
        Assert.True(Databases().Count >= 8, $"expected the 8 apk fixtures, found {Databases().Count}");
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public void Parser_lists_exactly_the_oracle_rows(string database)
    {
        var path = Path.Combine(ApkFixtures, database);
        var expected = File.ReadAllLines(path + ".expected.tsv").Where(l => l.Length > 0).ToList();

        var parsed = ApkInstalledParser.Parse(File.ReadAllBytes(path));

        var actual = parsed.Packages.Select(p => $"{p.Name}\t{p.Version}\t{p.Origin}").ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Detector_reports_the_oracle_rows_as_apk_packages(string database)
    {
        var path = Path.Combine(ApkFixtures, database);
        var expected = File.ReadAllLines(path + ".expected.tsv").Where(l => l.Length > 0)
            .Select(l => l.Split('\t')).ToList();
        var bytes = await File.ReadAllBytesAsync(path);
        var detector = new ApkInstalledDetector();
        var file = new LayerFile(ApkInstalledDetector.DatabasePath, bytes.Length, 0x1A4);
        var sink = new RecordingSink();

        Assert.True(detector.Wants(file));
        await detector.DetectAsync(file, new MemoryStream(bytes), sink, CancellationToken.None);

        Assert.Equal(expected.Count, sink.Packages.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var package = sink.Packages[i];
            Assert.Equal("apk", package.Type);
            Assert.Equal(expected[i][0], package.Name);
            Assert.Equal(expected[i][1], package.Version);
            Assert.Equal(expected[i][2].Length > 0 ? expected[i][2] : expected[i][0], package.SourceName);
            Assert.Equal(package.Version, package.SourceVersion);
            Assert.Equal(ApkInstalledDetector.DatabasePath, package.Path);
            Assert.Equal("apk", package.Detector);
            Assert.Null(package.Namespace);
            Assert.Null(package.Distro);
        }
    }

    [Fact]
    public void Owned_files_join_each_R_line_with_the_last_F_directory()
    {
        var parsed = ApkInstalledParser.Parse(File.ReadAllBytes(Path.Combine(ApkFixtures, "alpine-3.18", "installed")));

        var musl = Assert.Single(parsed.Packages, p => p.Name == "musl");
        Assert.Contains("lib/ld-musl-x86_64.so.1", musl.Files);
        Assert.All(parsed.Packages.SelectMany(p => p.Files), f => Assert.False(f.StartsWith('/') || f.EndsWith('/')));
        // Every R: line becomes one owned file.
        var text = File.ReadAllText(Path.Combine(ApkFixtures, "alpine-3.18", "installed"));
        var rLines = text.Split('\n').Count(l => l.StartsWith("R:", StringComparison.Ordinal));
        Assert.Equal(rLines, parsed.Packages.Sum(p => p.Files.Count));
    }

    [Fact]
    public void Arch_and_license_are_kept()
    {
        var parsed = ApkInstalledParser.Parse(File.ReadAllBytes(Path.Combine(ApkFixtures, "alpine-3.18", "installed")));

        Assert.All(parsed.Packages, p => Assert.Equal("x86_64", p.Arch));
        Assert.All(parsed.Packages, p => Assert.False(string.IsNullOrWhiteSpace(p.License)));
    }

    [Fact]
    public void Corrupt_line_and_record_without_version_are_reported_not_thrown()
    {
        var corrupt = ApkInstalledParser.Parse(File.ReadAllBytes(Path.Combine(ApkFixtures, "corrupt", "installed")));
        Assert.Contains(corrupt.Problems, p => p.Contains("line 1 is not a 'K:value' field", StringComparison.Ordinal));

        var trivy = ApkInstalledParser.Parse(File.ReadAllBytes(Path.Combine(ApkFixtures, "alpine-3.4", "apk")));
        Assert.Contains(trivy.Problems, p => p.Contains("invalidPackageWithoutAVersion", StringComparison.Ordinal) && p.Contains("no V:", StringComparison.Ordinal));
        Assert.DoesNotContain(trivy.Packages, p => p.Name == "invalidPackageWithoutAVersion");
    }

    [Fact]
    public void Crlf_line_endings_and_a_missing_final_newline_parse_the_same()
    {
        const string Text = "P:busybox\nV:1.36.1-r2\no:busybox\nF:bin\nR:busybox\n\nP:musl\nV:1.2.4-r1\nF:lib\nR:libc.musl-x86_64.so.1";
        var unix = ApkInstalledParser.Parse(Encoding.UTF8.GetBytes(Text));
        var dos = ApkInstalledParser.Parse(Encoding.UTF8.GetBytes(Text.Replace("\n", "\r\n", StringComparison.Ordinal)));

        Assert.Equal(2, unix.Packages.Count);
        Assert.Equal(unix.Packages.Select(p => (p.Name, p.Version, p.Origin, string.Join(',', p.Files))),
            dos.Packages.Select(p => (p.Name, p.Version, p.Origin, string.Join(',', p.Files))));
        Assert.Equal(["bin/busybox"], unix.Packages[0].Files);
        Assert.Null(unix.Packages[1].Origin);
    }

    [Fact]
    public void Binary_garbage_yields_problems_capped_and_no_packages()
    {
        var random = new Random(42);
        var garbage = new byte[64 * 1024];
        random.NextBytes(garbage);

        var parsed = ApkInstalledParser.Parse(garbage);

        Assert.Empty(parsed.Packages);
        Assert.InRange(parsed.Problems.Count, 1, ApkInstalledParser.MaxProblems + 1);
    }

    [Fact]
    public async Task Detector_reports_owned_files_and_a_truncated_stream()
    {
        var bytes = await File.ReadAllBytesAsync(Path.Combine(ApkFixtures, "alpine-3.19-bash", "installed"));
        var detector = new ApkInstalledDetector();
        var sink = new RecordingSink();

        // The tar header promises more bytes than the stream gives: reported, and what is there is read.
        await detector.DetectAsync(new LayerFile(ApkInstalledDetector.DatabasePath, bytes.Length + 100, 0x1A4), new MemoryStream(bytes), sink, CancellationToken.None);

        Assert.Equal(4, sink.Packages.Count);
        Assert.Contains("bin/sh", sink.OwnedFiles);
        Assert.Contains(sink.Problems, p => p.Reason.Contains("ended after", StringComparison.Ordinal));
        Assert.False(detector.Wants(new LayerFile("lib/apk/db/installed.old", 1, 0)));
    }
}

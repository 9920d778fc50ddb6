using System.IO.Compression;
using System.Text;
using SupplyChainMesh.Analysis.Maven;
using SupplyChainMesh.Analysis.Tests.LanguageDetection;

namespace SupplyChainMesh.Analysis.Tests.Maven;

public class JarDetectorTests
{
    private readonly JarDetector _detector = new();

    [Fact]
    public async Task Bookworm_apps_debian_jars()
    {
        var expectedDir = Path.Combine(TestImageScan.ImagesDirectory, "expected", "bookworm-apps");
        var jars = File.ReadAllLines(Path.Combine(expectedDir, "jars.txt")).Where(l => l.Length > 0).Select(l => l.TrimStart('.', '/')).ToHashSet(StringComparer.Ordinal);
        var scan = await TestImageScan.ScanAsync("bookworm-apps", _detector);
        var packages = scan.By("jar").ToList();
        Assert.Empty(scan.Problems);
        Assert.All(packages, p => Assert.Contains(p.Path, jars));
        Assert.All(packages, p => Assert.DoesNotContain(' ', p.Namespace + p.Name + p.Version));
        // 9 of the 103 jars carry neither pom.properties nor Maven-shaped manifest fields (aopalliance, jsr305,
        // mongodb-driver, commons-logging*, ...): Trivy would need its Java index (SHA-1 lookup) for those; we have none.
        var identified = packages.Select(p => p.Path).Distinct().Count();
        Assert.True(identified >= jars.Count - 9, $"{identified} of {jars.Count} jars identified");

        // The versions agree with the Debian packages that ship the jars (dpkg upstream version, before the revision).
        var dpkg = File.ReadAllLines(Path.Combine(expectedDir, "dpkg.tsv")).Select(l => l.Split('\t')).Where(f => f.Length > 1).ToDictionary(f => f[0], f => f[1]);
        foreach (var (jar, debianPackage, coordinates) in new[]
        {
            ("usr/share/java/commons-io.jar", "libcommons-io-java", "commons-io:commons-io"),
            ("usr/share/java/guava.jar", "libguava-java", "com.google.guava:guava"),
            ("usr/share/java/log4j-core.jar", "liblog4j2-java", "org.apache.logging.log4j:log4j-core"),
        })
        {
            var upstream = dpkg[debianPackage].Split('-')[0];
            var package = Assert.Single(packages, p => p.Path == jar && $"{p.Namespace}:{p.Name}" == coordinates);
            Assert.StartsWith(upstream, package.Version, StringComparison.Ordinal);
        }
        // No pom.properties, but Bundle-SymbolicName org.tukaani.xz agrees with the file name xz-1.9.jar.
        Assert.Contains(packages, p => p is { Path: "usr/share/java/xz-1.9.jar", Namespace: "org.tukaani", Name: "xz", Version: "1.9" });
        Assert.Equal("pkg:maven/org.apache.logging.log4j/log4j-core@2.19.0", packages.First(p => p.Name == "log4j-core").Purl);
    }

    [Fact]
    public async Task War_with_nested_jars_reports_each_and_prefers_pom_over_manifest()
    {
        var inner = Zip(("META-INF/maven/com.example/inner/pom.properties", "groupId=com.example\nartifactId=inner\nversion=1.0\n"),
            ("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nImplementation-Vendor-Id: wrong\nImplementation-Title: wrong\nImplementation-Version: 9\n"));
        var manifestOnly = Zip(("META-INF/MANIFEST.MF",
            "Manifest-Version: 1.0\r\nImplementation-Vendor-Id: org.example\r\nImplementation-Title: from-manif\r\n est\r\nImplementation-Version: 2.3\r\n\r\nName: x\r\nImplementation-Version: 7\r\n"));
        var war = Zip(("WEB-INF/lib/inner-1.0.jar", inner), ("WEB-INF/lib/other.jar", manifestOnly),
            ("META-INF/maven/com.example/app/pom.properties", "# generated\ngroupId: com.example\nartifactId = app\nversion=3.0\n"));
        var sink = await DetectorRun.BytesAsync(_detector, war, "opt/app.war");
        Assert.Empty(sink.Problems);
        Assert.Equal(["com.example:app:3.0", "com.example:inner:1.0", "org.example:from-manifest:2.3"],
            sink.Packages.Select(p => $"{p.Namespace}:{p.Name}:{p.Version}").Order(StringComparer.Ordinal));
        Assert.All(sink.Packages, p => Assert.Equal("opt/app.war", p.Path));
    }

    [Fact]
    public async Task Nesting_deeper_than_the_limit_is_a_problem()
    {
        var archive = Zip(("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n"));
        for (var i = 0; i < 3; i++) archive = Zip(($"lib/level{i}.jar", archive));
        var sink = await DetectorRun.BytesAsync(new JarDetector(new JarDetectorOptions { MaxNestingDepth = 2 }), archive, "app.jar");
        Assert.Empty(sink.Packages);
        Assert.Contains("nested deeper", Assert.Single(sink.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Truncated_zip_is_a_problem()
    {
        var jar = Zip(("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n"), ("big.bin", new string('x', 10_000)));
        var sink = await DetectorRun.BytesAsync(_detector, jar[..(jar.Length / 2)], "lib/a-1.jar");
        Assert.Empty(sink.Packages);
        Assert.Single(sink.Problems);
    }

    [Fact]
    public async Task Random_bytes_are_a_problem()
    {
        var bytes = new byte[50_000];
        new Random(7).NextBytes(bytes);
        var sink = await DetectorRun.BytesAsync(_detector, bytes, "lib/noise.jar");
        Assert.Empty(sink.Packages);
        Assert.Single(sink.Problems);
    }

    [Fact]
    public async Task Zip_bomb_entries_are_refused()
    {
        // 64 MB of zeros deflates to ~64 KB: a nested "jar" claiming it is over the inflation budget.
        var bomb = Zip(("lib/bomb.jar", new byte[64 * 1024 * 1024]), ("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n"));
        Assert.True(bomb.Length < 1024 * 1024);
        var options = new JarDetectorOptions { MaxInflatedBytesPerFile = 16 * 1024 * 1024 };
        var sink = await DetectorRun.BytesAsync(new JarDetector(options), bomb, "lib/a-1.jar");
        Assert.Equal("g:a:1", Assert.Single(sink.Packages) is var p ? $"{p.Namespace}:{p.Name}:{p.Version}" : "");
        Assert.Contains("over the limit", Assert.Single(sink.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entry_that_inflates_past_its_claimed_size_is_refused()
    {
        var jar = Zip(("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n" + new string('#', 5000)));
        // Shrink the claimed uncompressed size (local header offset 22, central directory offset 24) to 30 bytes, which
        // cuts the properties inside "version=1": nothing past the claim may be read (else a package would appear).
        PatchUInt32(jar, 22, 30);
        var central = FindSignature(jar, [0x50, 0x4b, 0x01, 0x02]);
        PatchUInt32(jar, central + 24, 30);
        var sink = await DetectorRun.BytesAsync(_detector, jar, "lib/a-1.jar");
        Assert.Empty(sink.Packages);
    }

    [Fact]
    public async Task Archive_over_the_size_bound_is_skipped_with_a_problem()
    {
        var jar = Zip(("META-INF/maven/g/a/pom.properties", "groupId=g\nartifactId=a\nversion=1\n"), ("data", new byte[4096]));
        var sink = await DetectorRun.BytesAsync(new JarDetector(new JarDetectorOptions { MaxArchiveBytes = 100 }), jar, "lib/a-1.jar");
        Assert.Empty(sink.Packages);
        Assert.Contains("limit", Assert.Single(sink.Problems).Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("usr/share/java/guava.jar", true)]
    [InlineData("opt/app/ROOT.WAR", true)]
    [InlineData("opt/app.ear", true)]
    [InlineData("opt/app.jar.sha1", false)]
    [InlineData("opt/jarfile", false)]
    public void Wants_java_archives(string path, bool wanted) =>
        Assert.Equal(wanted, _detector.Wants(new SupplyChainMesh.Analysis.Layers.LayerFile(path, 10, 0b110_100_100)));

    private static byte[] Zip(params (string Name, object Content)[] entries)
    {
        var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                using var stream = entry.Open();
                stream.Write(content is string s ? Encoding.UTF8.GetBytes(s) : (byte[])content);
            }
        }
        return output.ToArray();
    }

    private static void PatchUInt32(byte[] bytes, int offset, uint value) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), value);

    private static int FindSignature(byte[] bytes, byte[] signature) => bytes.AsSpan().IndexOf(signature);
}

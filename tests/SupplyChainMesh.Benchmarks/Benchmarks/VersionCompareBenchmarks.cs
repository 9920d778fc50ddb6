using BenchmarkDotNet.Attributes;
using SupplyChainMesh.Analysis.Debian;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Benchmarks.Benchmarks;

/// <summary>
/// Throughput of each scheme's <see cref="IVersionScheme.Compare"/> on pairs shaped like matching work: an installed
/// version against the bounds of advisory ranges. One operation compares all pairs of the scheme once.
/// </summary>
[MemoryDiagnoser]
public class VersionCompareBenchmarks
{
    private static readonly Dictionary<string, (string Installed, string Bound)[]> Pairs = new()
    {
        ["dpkg"] =
        [
            ("2.36-9+deb12u4", "2.36-9+deb12u7"), ("1:2.38.1-5+deb12u3", "1:2.38.1-5+deb12u1"), ("3.0.15-1~deb12u1", "3.0.11-1~deb12u2"),
            ("1:1.2.13.dfsg-1", "1:1.2.13.dfsg-1"), ("5.4.1-0.2", "5.4.5-0.1"), ("252.30-1~deb12u2", "252.33-1~deb12u1"),
            ("7.88.1-10+deb12u8", "7.88.1-10+deb12u5"), ("2.9.14+dfsg-1.3~deb12u1", "2.9.14+dfsg-1.3~deb12u2"),
        ],
        ["apk"] =
        [
            ("1.36.1-r29", "1.36.1-r30"), ("3.1.4-r5", "3.1.4-r6"), ("1.2.4_git20230717-r4", "1.2.4-r2"), ("8.5.0-r0", "8.9.1-r0"),
            ("2.12.1_rc2-r0", "2.12.1-r0"), ("3.0.15-r0", "3.0.15-r0"), ("1.3.1-r1", "1.3.1-r2"), ("6.4_p20231125-r1", "6.4_p20230506-r0"),
        ],
        ["rpm"] =
        [
            ("2.32.1-42.el8_8", "2.32.1-43.el8"), ("1:3.0.7-25.amzn2023.0.1", "1:3.0.8-1.amzn2023.0.1"), ("2.17-326.el7_9.3", "2.17-326.el7_9"),
            ("4.16.1.3-25.el9", "4.16.1.3-29.el9"), ("1.1.1k-12.el8_9", "1.1.1k-9.el8_7"), ("3.6.8-51.el8_8.2", "3.6.8-56.el8_9"),
            ("0:2.9.13-3.el9_2.1", "2.9.13-6.el9_4"), ("8.0p1-19.el9", "8.7p1-38.el9"),
        ],
        ["npm"] =
        [
            ("4.17.20", "4.17.21"), ("1.2.3", "1.2.3-beta.1"), ("7.5.9", "7.6.0"), ("0.21.1", "0.21.2"), ("5.0.0-rc.3", "5.0.0"),
            ("2.0.0", "1.9.9"), ("10.2.4", "10.2.4"), ("3.4.5-alpha.9", "3.4.5-alpha.10"),
        ],
        ["pep440"] =
        [
            ("2.31.0", "2.32.0"), ("1.26.18", "1.26.19"), ("3.2.1.post1", "3.2.1"), ("2.0.0rc1", "2.0.0"), ("41.0.7", "42.0.4"),
            ("1!2.0", "3.0"), ("0.24.0.dev3", "0.24.0a1"), ("2024.2.2", "2024.7.4"),
        ],
        ["maven"] =
        [
            ("2.14.1", "2.17.1"), ("5.3.27", "5.3.33"), ("2.15.0-rc2", "2.15.0"), ("1.2.3-SNAPSHOT", "1.2.3"), ("9.4.51.v20230217", "9.4.53.v20231009"),
            ("3.0.0-M5", "3.0.0"), ("31.1-jre", "32.0.0-android"), ("1.10.19", "1.10.2"),
        ],
        ["nuget"] =
        [
            ("13.0.1", "13.0.3"), ("6.0.0", "6.0.21"), ("4.7.0", "4.7.2"), ("8.0.0-preview.7.23375.6", "8.0.0"), ("2.2.0.0", "2.2.0"),
            ("12.0.3", "12.0.2"), ("5.2.9", "5.2.10"), ("1.0.0-beta.2", "1.0.0-beta.10"),
        ],
        ["go"] =
        [
            ("v0.0.0-20210921155107-089bfa567519", "v0.0.0-20220314234659-1baeb1ce4c0b"), ("v1.2.3", "v1.2.4"), ("v2.0.0+incompatible", "v2.1.0"),
            ("v0.17.0", "0.17.0"), ("v1.9.1", "v1.10.0"), ("v1.2.4-0.20191109021931-daa7c04131f5", "v1.2.4"), ("go1.21.5", "1.21.8"), ("v0.3.7", "v0.3.8"),
        ],
        ["rubygems"] =
        [
            ("6.1.7.3", "6.1.7.4"), ("1.13.10", "1.14.3"), ("2.0.0.rc1", "2.0.0"), ("3.2.2", "3.2.1"), ("7.0.4.1", "7.0.4"),
            ("1.15.4", "1.16.2"), ("5.2.8.1", "5.2.8"), ("4.0.0.beta2", "4.0.0.beta10"),
        ],
        ["cargo"] =
        [
            ("1.28.2", "1.28.3"), ("0.10.55", "0.10.60"), ("1.0.0-alpha.1", "1.0.0"), ("0.3.29", "0.3.30"), ("2.0.0", "1.99.0"),
            ("0.4.20", "0.4.20"), ("1.12.0", "1.12.1"), ("0.9.8", "0.10.0"),
        ],
        ["composer"] =
        [
            ("v5.4.21", "5.4.31"), ("6.3.0", "6.2.12"), ("1.0.0-RC1", "1.0.0"), ("2.4.3", "2.4.3"), ("7.4.0-beta2", "7.4.0"),
            ("3.0.0.1", "3.0.1"), ("10.48.4", "10.48.23"), ("1.7.0-patch1", "1.7.0"),
        ],
    };

    private IVersionScheme _scheme = null!;
    private (string Installed, string Bound)[] _pairs = [];

    [Params("dpkg", "apk", "rpm", "npm", "pep440", "maven", "nuget", "go", "rubygems", "cargo", "composer")]
    public string Scheme { get; set; } = "dpkg";

    [GlobalSetup]
    public void Setup()
    {
        _scheme = VersionSchemes.ForName(Scheme) ?? throw new InvalidOperationException($"no scheme {Scheme}");
        _pairs = Pairs[Scheme];
    }

    [Benchmark(Description = "Compare(string, string) over 8 pairs")]
    public int CompareStrings()
    {
        var sum = 0;
        foreach (var (installed, bound) in _pairs) sum += _scheme.Compare(installed, bound);
        return sum;
    }


    /// <summary>The same dpkg pairs, for <see cref="ParsedVersionCompareBenchmarks"/>.</summary>
    internal static (string Installed, string Bound)[] DebianPairs => Pairs["dpkg"];
}

/// <summary>Parse once, compare many: the matcher's shape (a parsed installed version against parsed bounds).</summary>
[MemoryDiagnoser]
public class ParsedVersionCompareBenchmarks
{
    private DebianVersion[] _parsed = [];

    [GlobalSetup]
    public void Setup() =>
        _parsed = VersionCompareBenchmarks.DebianPairs.SelectMany(p => new[] { DebianVersion.Parse(p.Installed), DebianVersion.Parse(p.Bound) }).ToArray();

    [Benchmark(Description = "DebianVersion.CompareTo over 8 parsed pairs")]
    public int CompareParsedDebian()
    {
        var sum = 0;
        for (var i = 0; i < _parsed.Length; i += 2) sum += _parsed[i].CompareTo(_parsed[i + 1]);
        return sum;
    }
}

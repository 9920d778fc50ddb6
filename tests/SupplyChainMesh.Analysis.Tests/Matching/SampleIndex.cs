using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Epss;
using SupplyChainMesh.Analysis.Kev;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Nvd;
using SupplyChainMesh.Analysis.Osv;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Analysis.Tests.Advisories;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Tests.Matching;

/// <summary>An index of the real records in TestData/feeds, and packages shaped as the detectors report them.</summary>
internal static class SampleIndex
{
    private static readonly Lazy<Task<VulnerabilityIndex>> Shared = new(BuildAsync);

    public static Task<VulnerabilityIndex> GetAsync() => Shared.Value;

    private static async Task<VulnerabilityIndex> BuildAsync()
    {
        var problems = new FeedProblemList();
        var builder = new VulnerabilityIndexBuilder(VersionSchemes.ForOsvEcosystem);
        foreach (var file in new[] { "debian-sample.osv.jsonl", "ghsa-npm-lodash.osv.jsonl", "pypa-sample.osv.jsonl", "GO-2023-2102.json" })
            builder.AddRange(await FeedTestData.ParseAsync(new OsvParser(), FeedTestData.Open(file), problems));
        builder.AddRange(await FeedTestData.ParseAsync(new NvdCveParser(), FeedTestData.Open("nvd-cve-api2-subset.json"), problems));
        await using (var kev = FeedTestData.Open("kev-sample.json")) builder.WithKev(await KevCatalog.ParseAsync(kev, problems));
        await using (var epss = FeedTestData.Open("epss-subset.csv")) builder.WithEpss(EpssScores.Parse(epss, problems));
        Assert.Empty(problems.Problems);
        return builder.Build();
    }

    public static Package Deb(string name, string version, string? source = null, string? sourceVersion = null, string distro = "debian-12") => new()
    {
        Type = PurlType.Deb,
        Namespace = "debian",
        Name = name,
        Version = version,
        SourceName = source,
        SourceVersion = sourceVersion,
        Arch = "amd64",
        Distro = distro,
        Path = "var/lib/dpkg/status",
        Detector = "dpkg",
    };

    public static Package Language(string type, string? ns, string name, string version) => new()
    {
        Type = type,
        Namespace = ns,
        Name = name,
        Version = version,
        Path = "app/manifest",
        Detector = type,
    };
}

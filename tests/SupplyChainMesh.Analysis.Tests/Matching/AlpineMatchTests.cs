using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Alpine;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Nvd;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Analysis.Tests.Advisories;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Tests.Matching;

public class AlpineMatchTests
{
    private static Package Apk(string name, string version, string origin, string distro = "alpine-3.18.4") => new()
    {
        Type = PurlType.Apk,
        Namespace = "alpine",
        Name = name,
        Version = version,
        SourceName = origin,
        Distro = distro,
        Path = "lib/apk/db/installed",
        Detector = "apk",
    };

    private static async Task<Matcher> MatcherAsync()
    {
        var builder = new VulnerabilityIndexBuilder(VersionSchemes.ForOsvEcosystem);
        builder.AddRange(await FeedTestData.ParseAsync(new AlpineSecDbParser(), FeedTestData.Open("alpine-v3.18-main.json")));
        builder.AddRange(await FeedTestData.ParseAsync(new NvdCveParser(), FeedTestData.Open("nvd-cve-api2-subset.json")));
        return new Matcher(builder.Build());
    }

    [Fact]
    public async Task Secdb_fix_is_matched_by_origin_package_in_the_same_minor_release()
    {
        var matcher = await MatcherAsync();
        var findings = matcher.Match(Apk("zlib", "1.2.12-r1", origin: "zlib"));
        var finding = Assert.Single(findings);
        Assert.Equal("CVE-2022-37434", finding.VulnerabilityId);
        Assert.Equal("1.2.12-r2", finding.FixedVersion);
        Assert.Equal("Alpine:v3.18", finding.Ecosystem);
        Assert.Empty(matcher.Match(Apk("zlib", "1.2.12-r2", origin: "zlib")));
        Assert.Empty(matcher.Match(Apk("zlib", "1.2.12-r1", origin: "zlib", distro: "alpine-3.19.1")));
    }

    [Fact]
    public async Task Version_zero_entries_never_match_and_severity_comes_from_nvd()
    {
        // secdb marks CVE-2023-45853 "0" (not affected) for zlib in v3.18, although NVD rates it 9.8.
        var matcher = await MatcherAsync();
        Assert.DoesNotContain(matcher.Match(Apk("zlib", "1.2.10-r0", origin: "zlib")), f => f.VulnerabilityId == "CVE-2023-45853");
        var musl = matcher.Match(Apk("musl", "1.1.15-r0", origin: "musl"));
        Assert.Contains(musl, f => f.VulnerabilityId == "CVE-2016-8859" && f.FixedVersion == "1.1.15-r4" && f.Severity == Severity.Unknown);
    }
}

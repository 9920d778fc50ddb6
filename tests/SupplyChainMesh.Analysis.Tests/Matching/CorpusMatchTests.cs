using System.Text.Json;
using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Testing;
using static SupplyChainMesh.Analysis.Tests.Matching.SampleIndex;

namespace SupplyChainMesh.Analysis.Tests.Matching;

/// <summary>The known facts of <c>../shared/feeds/README.md</c> ("Known matches") against the whole corpus.</summary>
public class CorpusMatchTests(CorpusFixture corpus) : IClassFixture<CorpusFixture>
{
    private IReadOnlyList<Finding> Match(Package package, MatchOptions? options = null) => new Matcher(corpus.Index, options).Match(package);

    private static HashSet<string> Ids(IEnumerable<Finding> findings) => findings.SelectMany(f => f.AllIds).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_record_of_the_manifest_is_loaded_and_none_is_malformed()
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.Feeds, "manifest.json")));
        foreach (var file in manifest.RootElement.GetProperty("files").EnumerateArray())
        {
            var path = file.GetProperty("path").GetString()!;
            if (!path.EndsWith(".jsonl", StringComparison.Ordinal) || path.StartsWith("nodejs", StringComparison.Ordinal) || path.StartsWith("rustsec", StringComparison.Ordinal)) continue;
            Assert.Equal(file.GetProperty("records").GetInt32(), corpus.Report.RecordsByFile[path]);
        }
        Assert.Equal(1404, corpus.Index.Kev.Count);
        Assert.Equal(12, corpus.Index.Epss.Count);
        Assert.Equal(16, corpus.Index.RatingCount);
        Assert.Empty(corpus.Report.Problems);
        Assert.DoesNotContain("npm", corpus.Report.EcosystemsWithoutScheme);
        Assert.Empty(corpus.Report.EcosystemsWithoutScheme);
    }

    [Fact]
    public void Glibc_below_deb12u3_is_affected_by_CVE_2023_4911()
    {
        var findings = Match(Deb("libc6", "2.36-9+deb12u1", source: "glibc"));
        var looney = Assert.Single(findings, f => f.VulnerabilityId == "CVE-2023-4911");
        Assert.True(looney.KnownExploited);
        Assert.Equal(7.8, looney.Cvss?.Score);
        Assert.Equal("2.36-9+deb12u3", looney.FixedVersion);
        var ids = Ids(findings);
        foreach (var dsa in new[] { "DSA-5514-1", "DSA-5611-1", "DSA-5673-1", "DSA-5678-1" }) Assert.Contains(dsa, ids);
        // README: CVE-2023-4911 and 18 others; DSAs are merged into their CVEs.
        Assert.Equal(19, findings.Count(f => f.VulnerabilityId.StartsWith("CVE-", StringComparison.Ordinal)));
        Assert.All(findings, f => Assert.StartsWith("CVE-", f.VulnerabilityId, StringComparison.Ordinal));
    }

    [Fact]
    public void Glibc_at_deb12u3_is_not_affected_by_CVE_2023_4911()
    {
        var findings = Match(Deb("libc6", "2.36-9+deb12u3", source: "glibc"));
        Assert.DoesNotContain("CVE-2023-4911", Ids(findings));
        Assert.DoesNotContain("DSA-5514-1", Ids(findings));
    }

    [Fact]
    public void Openssl()
    {
        var findings = Match(Deb("libssl3", "3.0.11-1~deb12u2", source: "openssl"));
        Assert.Equal(12, findings.Count(f => f.VulnerabilityId.StartsWith("CVE-", StringComparison.Ordinal)));
        Assert.Equal("3.0.13-1~deb12u1", findings.Single(f => f.VulnerabilityId == "CVE-2023-5678").FixedVersion);
        Assert.Contains(findings, f => f.VulnerabilityId == "CVE-2024-5535");
        Assert.Contains("DSA-5764-1", Ids(findings));
    }

    [Fact]
    public void Zlib_CVE_2023_45853_is_unfixed()
    {
        var findings = Match(Deb("zlib1g", "1:1.2.13.dfsg-1", source: "zlib"));
        var finding = Assert.Single(findings, f => f.VulnerabilityId == "CVE-2023-45853");
        Assert.Equal(FixState.NotFixed, finding.FixState);
        Assert.Equal(9.8, finding.Cvss?.Score);
    }

    [Fact]
    public void Alpine_3_18_openssl_from_secdb()
    {
        var openssl = new Package
        {
            Type = PurlType.Apk,
            Namespace = "alpine",
            Name = "libssl3",
            Version = "3.1.4-r5",
            SourceName = "openssl",
            Distro = "alpine-3.18.4",
            Path = "lib/apk/db/installed",
            Detector = "apk",
        };
        var findings = Match(openssl);
        var ids = Ids(findings);
        Assert.Contains("CVE-2024-2511", ids);
        Assert.Contains("CVE-2024-5535", ids);
        Assert.DoesNotContain("CVE-2024-0727", ids);
        Assert.Equal("3.1.6-r0", findings.Single(f => f.VulnerabilityId == "CVE-2024-5535").FixedVersion);
    }

    [Fact]
    public void Xz_utils_5_4_1_has_no_match() =>
        Assert.Empty(Match(Deb("liblzma5", "5.4.1-0.2", source: "xz-utils")));

    [Theory]
    [InlineData("lodash", "4.17.20", new[] { "GHSA-35jh-r3h4-6jhm", "GHSA-29mw-wpgm-hmr9" })]
    [InlineData("minimist", "1.2.5", new[] { "GHSA-xvch-5gv4-984h" })]
    [InlineData("node-fetch", "2.6.0", new[] { "GHSA-w7rc-rwvf-8q5r", "GHSA-r683-j2x4-v87g" })]
    [InlineData("jsonwebtoken", "8.5.1", new[] { "GHSA-8cf7-32gw-wr33", "GHSA-hjrf-2m68-5959", "GHSA-qwph-4952-7xr6", "GHSA-27h2-hvpr-p74q" })]
    [InlineData("express", "4.17.1", new[] { "GHSA-rv95-896h-c2vc", "GHSA-qw6h-vgh9-j6wx" })]
    public void Npm_known_matches(string name, string version, string[] expected)
    {
        var findings = Match(Language(PurlType.Npm, null, name, version));
        var ghsaIds = findings.SelectMany(f => f.AllIds).Where(id => id.StartsWith("GHSA-", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(expected.Order(), ghsaIds.Order());
        Assert.Equal(expected.Length, findings.Count);
    }

    [Fact]
    public void Lodash_CVE_2021_23337_and_withdrawn_GHSA_8p5q_does_not_match()
    {
        var findings = Match(Language(PurlType.Npm, null, "lodash", "4.17.20"));
        var finding = Assert.Single(findings, f => f.VulnerabilityId == "CVE-2021-23337");
        Assert.Contains("GHSA-35jh-r3h4-6jhm", finding.Aliases);
        Assert.Equal(7.2, finding.Cvss?.Score);
        Assert.Equal(0.00606, finding.Epss);
        Assert.False(finding.KnownExploited);
        Assert.DoesNotContain("GHSA-8p5q-j9m2-g8wr", Ids(findings));
    }

    [Fact]
    public void Minimist_CVE_2021_44906()
    {
        var finding = Assert.Single(Match(Language(PurlType.Npm, null, "minimist", "1.2.5")));
        Assert.Equal("CVE-2021-44906", finding.VulnerabilityId);
        Assert.Equal(Severity.Critical, finding.Severity);
    }

    [Fact]
    public void Newtonsoft_Json_12_0_1_and_the_duplicate_advisory_does_not_match()
    {
        var findings = Match(Language(PurlType.NuGet, null, "Newtonsoft.Json", "12.0.1"));
        var finding = Assert.Single(findings);
        Assert.Equal("CVE-2024-21907", finding.VulnerabilityId);
        Assert.Contains("GHSA-5crp-9r3c-p9vr", finding.Aliases);
        Assert.Equal("13.0.1", finding.FixedVersion);
        Assert.DoesNotContain("GHSA-8rfx-6mr3-5jh3", Ids(findings));
    }

    [Fact]
    public void System_Text_Encodings_Web_4_5_0()
    {
        var finding = Assert.Single(Match(Language(PurlType.NuGet, null, "System.Text.Encodings.Web", "4.5.0")));
        Assert.Equal("CVE-2021-26701", finding.VulnerabilityId);
        Assert.Contains("GHSA-ghhp-997w-qr28", finding.Aliases);
        Assert.Equal(9.8, finding.Cvss?.Score);
    }

    [Fact]
    public void Log4j_core_2_14_1_is_log4shell()
    {
        var findings = Match(Language(PurlType.Maven, "org.apache.logging.log4j", "log4j-core", "2.14.1"));
        var ids = Ids(findings);
        foreach (var id in new[] { "GHSA-jfh8-c2jp-5v3q", "GHSA-7rjr-3q55-vv33", "GHSA-p6xc-xr62-6r2g", "GHSA-8489-44mv-ggj8" }) Assert.Contains(id, ids);
        Assert.Equal(4, findings.Count);
        var log4shell = Assert.Single(findings, f => f.VulnerabilityId == "CVE-2021-44228");
        Assert.True(log4shell.KnownExploited);
        Assert.Equal(10.0, log4shell.Cvss?.Score);
        Assert.Equal(Severity.Critical, log4shell.Severity);
    }

    [Fact]
    public void Requests_2_28_1()
    {
        var findings = Match(Language(PurlType.PyPI, null, "requests", "2.28.1"));
        var ids = Ids(findings);
        foreach (var id in new[] { "GHSA-j8r2-6x86-q33q", "GHSA-9wx4-h78v-vm56", "PYSEC-2023-74" }) Assert.Contains(id, ids);
        Assert.Contains(findings, f => f.VulnerabilityId == "CVE-2023-32681" && f.Aliases.Contains("PYSEC-2023-74") && f.Aliases.Contains("GHSA-j8r2-6x86-q33q"));
        Assert.Contains(findings, f => f.VulnerabilityId == "CVE-2024-35195");
    }

    [Fact]
    public void Go_stdlib_1_20_0_matches_88_govulndb_ids()
    {
        var findings = Match(Language(PurlType.Golang, null, "stdlib", "go1.20.0"));
        Assert.Equal(88, Ids(findings).Count(id => id.StartsWith("GO-", StringComparison.Ordinal)));
        Assert.Contains("GO-2023-2102", Ids(findings));
    }

    [Fact]
    public void Golang_x_net_0_7_0_merges_govulndb_and_ghsa()
    {
        var findings = Match(Language(PurlType.Golang, "golang.org/x", "net", "v0.7.0"));
        var ids = Ids(findings);
        Assert.Equal(16, ids.Count(id => id.StartsWith("GO-", StringComparison.Ordinal)));
        Assert.Contains("GO-2023-2102", ids);
        Assert.Contains("GHSA-qppj-fm5r-hxr3", ids);
        Assert.Contains("GHSA-4374-p667-p6c8", ids);
        // Rapid reset is one finding, whichever feeds reported it.
        var rapidReset = Assert.Single(findings, f => f.AllIds.Contains("GHSA-qppj-fm5r-hxr3"));
        Assert.Equal("CVE-2023-44487", rapidReset.VulnerabilityId);
        Assert.True(rapidReset.KnownExploited);
    }
}

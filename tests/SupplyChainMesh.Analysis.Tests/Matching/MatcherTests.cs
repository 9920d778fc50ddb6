using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Packages;
using static SupplyChainMesh.Analysis.Tests.Matching.SampleIndex;

namespace SupplyChainMesh.Analysis.Tests.Matching;

public class MatcherTests
{
    private static async Task<IReadOnlyList<Finding>> Match(Package package, MatchOptions? options = null) =>
        new Matcher(await GetAsync(), options).Match(package);

    [Fact]
    public async Task Binary_package_matches_through_its_source_package_with_kev_cvss_epss_and_fix()
    {
        var findings = await Match(Deb("libc6", "2.36-9+deb12u1", source: "glibc"));
        var glibc = Assert.Single(findings, f => f.VulnerabilityId == "CVE-2023-4911");
        Assert.Contains("DSA-5514-1", glibc.Aliases);
        Assert.Equal("2.36-9+deb12u3", glibc.FixedVersion);
        Assert.True(glibc.FixAvailable);
        Assert.True(glibc.KnownExploited);
        Assert.Equal(new DateOnly(2023, 12, 12), glibc.KevDueDate);
        Assert.Equal(7.8, glibc.Cvss?.Score);
        Assert.Equal("nvd@nist.gov", glibc.Cvss?.Source);
        // Debian has not rated it ("not yet assigned"), so NVD's CVSS rates it.
        Assert.Equal(Severity.High, glibc.Severity);
        Assert.Equal("nvd", glibc.SeveritySource);
        Assert.Equal("not yet assigned", glibc.EcosystemSeverity);
        Assert.Equal(0.01877, glibc.Epss);
        Assert.Equal("Debian:12", glibc.Ecosystem);
        // The CVE record has details only; its first line is the summary (the DSA's "glibc - security update" is not).
        Assert.StartsWith("A buffer overflow was discovered in the GNU C Library", glibc.Summary, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2023, 10, 3, 0, 0, 0, TimeSpan.Zero), glibc.Published);
        // The DSA is merged into its CVE, not counted again.
        Assert.DoesNotContain(findings, f => f.VulnerabilityId.StartsWith("DSA-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Fixed_version_no_longer_matches_but_unfixed_unimportant_issue_remains()
    {
        var findings = await Match(Deb("libc6", "2.36-9+deb12u3", source: "glibc"));
        var only = Assert.Single(findings);
        Assert.Equal("CVE-2010-4756", only.VulnerabilityId);
        Assert.Equal(Severity.Negligible, only.Severity);
        Assert.Equal("debian", only.SeveritySource);
        Assert.Equal(FixState.NotFixed, only.FixState);
        Assert.Null(only.FixedVersion);
    }

    [Fact]
    public async Task Unimportant_issues_can_be_dropped()
    {
        var findings = await Match(Deb("libc6", "2.36-9+deb12u1", source: "glibc"), new MatchOptions { DebianUnimportant = UnimportantPolicy.Drop });
        Assert.Equal(["CVE-2023-4911"], findings.Select(f => f.VulnerabilityId));
    }

    [Fact]
    public async Task Unfixed_in_the_release_is_reported_as_such()
    {
        var zlib = Assert.Single(await Match(Deb("zlib1g", "1:1.2.13.dfsg-1", source: "zlib")));
        Assert.Equal("CVE-2023-45853", zlib.VulnerabilityId);
        Assert.Equal(FixState.NotFixed, zlib.FixState);
        Assert.False(zlib.FixAvailable);
        Assert.Equal(Severity.Critical, zlib.Severity);
    }

    [Fact]
    public async Task Release_must_match_the_image_distribution()
    {
        // Only the DSA carries a Debian:11 entry here; its CVE record is Debian 12 only, so the DSA stands alone.
        var bullseye = await Match(Deb("libc6", "2.31-13+deb11u5", source: "glibc", distro: "debian-11"));
        var dsa = Assert.Single(bullseye);
        Assert.Equal("DSA-5514-1", dsa.VulnerabilityId);
        Assert.Equal("2.31-13+deb11u7", dsa.FixedVersion);
        Assert.Empty(await Match(Deb("libc6", "2.36-9+deb12u1", source: "glibc", distro: "ubuntu-22.04")));
        Assert.Empty(await Match(Deb("libc6", "2.36-9+deb12u1", source: "glibc", distro: "")));
    }

    [Fact]
    public async Task Notices_stand_alone_when_merging_is_off()
    {
        var findings = await Match(Deb("libc6", "2.36-9+deb12u1", source: "glibc"), new MatchOptions { MergeDistributionNotices = false });
        Assert.Contains(findings, f => f.VulnerabilityId == "DSA-5514-1");
        Assert.Contains(findings, f => f.VulnerabilityId == "CVE-2023-4911");
    }

    [Fact]
    public async Task Ghsa_findings_are_keyed_by_cve_and_withdrawn_ones_never_match()
    {
        var findings = await Match(Language(PurlType.Npm, null, "lodash", "4.17.20"));
        Assert.Equal(["CVE-2020-28500", "CVE-2021-23337"], findings.Select(f => f.VulnerabilityId).Order());
        var template = findings.Single(f => f.VulnerabilityId == "CVE-2021-23337");
        Assert.Equal(["GHSA-35jh-r3h4-6jhm"], template.Aliases);
        Assert.Equal(Severity.High, template.Severity);
        Assert.Equal("ghsa", template.SeveritySource);
        Assert.Equal(7.2, template.Cvss?.Score);
        Assert.Equal("4.17.21", template.FixedVersion);
        Assert.False(template.KnownExploited);
        Assert.DoesNotContain(findings, f => f.AllIds.Contains("GHSA-8p5q-j9m2-g8wr"));
        Assert.Empty(await Match(Language(PurlType.Npm, null, "lodash", "4.17.21")));
    }

    [Fact]
    public async Task PyPI_names_are_compared_after_PEP_503_normalisation()
    {
        var finding = Assert.Single(await Match(Language(PurlType.PyPI, null, "Requests", "2.28.1")));
        Assert.Equal("CVE-2023-32681", finding.VulnerabilityId);
        Assert.Contains("PYSEC-2023-74", finding.Aliases);
        Assert.Equal("2.31.0", finding.FixedVersion);
    }

    [Fact]
    public async Task Go_module_path_and_v_prefix()
    {
        var finding = Assert.Single(await Match(Language(PurlType.Golang, "golang.org/x", "net", "v0.7.0")));
        Assert.Equal("CVE-2023-39325", finding.VulnerabilityId);
        Assert.Contains("GO-2023-2102", finding.Aliases);
        Assert.Contains("GHSA-4374-p667-p6c8", finding.Aliases);
        Assert.False(finding.KnownExploited);
        Assert.Equal("0.17.0", finding.FixedVersion);
    }
}

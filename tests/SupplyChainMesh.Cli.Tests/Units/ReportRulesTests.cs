using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Cli.Reports;
using SupplyChainMesh.Cli.Scanning;

namespace SupplyChainMesh.Cli.Tests.Units;

public class ReportRulesTests
{
    [Fact]
    public void Severity_list_parses_case_insensitively_with_ghsa_moderate_as_medium()
    {
        var set = FindingFilter.ParseSeverities("low, Moderate,CRITICAL");
        Assert.Equal([Severity.Low, Severity.Medium, Severity.Critical], set!.Order());
        Assert.Null(FindingFilter.ParseSeverities(" "));
        var ex = Assert.Throws<FormatException>(() => FindingFilter.ParseSeverities("HIGH,SEVERE"));
        Assert.Contains("SEVERE", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Severity.Critical, "error", "critical")]
    [InlineData(Severity.High, "error", "high")]
    [InlineData(Severity.Medium, "warning", "medium")]
    [InlineData(Severity.Low, "note", "low")]
    [InlineData(Severity.Negligible, "note", "info")]
    [InlineData(Severity.Unknown, "note", "unknown")]
    public void Sarif_level_and_cyclonedx_severity_follow_the_severity(Severity severity, string level, string cycloneDx)
    {
        Assert.Equal(level, SarifWriter.Level(severity));
        Assert.Equal(cycloneDx, CycloneDxWriter.SeverityWord(severity));
    }

    [Fact]
    public void Security_severity_is_the_cvss_score_when_it_agrees_with_the_severity_else_the_band()
    {
        var package = new Package { Type = PurlType.Deb, Name = "libc6", Version = "2.36-9+deb12u1", Path = "var/lib/dpkg/status", Detector = "dpkg" };
        var cvss = new SeverityScore(CvssKind.V31, "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, "nvd@nist.gov", Primary: true);
        var high = new Finding { VulnerabilityId = "CVE-2023-4911", Package = package, InstalledVersion = "2.36-9+deb12u1", Ecosystem = "Debian:12", Severity = Severity.High, Cvss = cvss };
        Assert.Equal(7.8, SarifWriter.SecurityScore(high));
        // Debian rates it lower than NVD: GitHub should sort by the severity we report, not NVD's score.
        Assert.Equal(5.5, SarifWriter.SecurityScore(high with { Severity = Severity.Medium }));
        Assert.Equal(0.0, SarifWriter.SecurityScore(high with { Severity = Severity.Negligible, Cvss = null }));
    }

    [Fact]
    public void Ignore_unfixed_and_severities_decide_together()
    {
        var package = new Package { Type = PurlType.Npm, Name = "lodash", Version = "4.17.20", Path = "app/node_modules/lodash/package.json", Detector = "npm" };
        var fixedHigh = new Finding { VulnerabilityId = "CVE-2021-23337", Package = package, InstalledVersion = "4.17.20", Ecosystem = "npm", Severity = Severity.High, FixState = FixState.Fixed, FixedVersion = "4.17.21" };
        var unfixedHigh = fixedHigh with { FixState = FixState.NotFixed, FixedVersion = null };
        var filter = new FindingFilter(FindingFilter.ParseSeverities("HIGH"), IgnoreUnfixed: true);
        Assert.True(filter.Reports(fixedHigh));
        Assert.False(filter.Reports(unfixedHigh));
        Assert.False(filter.Reports(fixedHigh with { Severity = Severity.Medium }));
        Assert.True(FindingFilter.All.Reports(unfixedHigh));
    }
}

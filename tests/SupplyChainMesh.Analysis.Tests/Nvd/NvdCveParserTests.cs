using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Nvd;
using SupplyChainMesh.Analysis.Tests.Advisories;

namespace SupplyChainMesh.Analysis.Tests.Nvd;

public class NvdCveParserTests
{
    [Fact]
    public async Task Subset_file_yields_every_cve_with_its_metrics()
    {
        var problems = new FeedProblemList();
        await using var stream = FeedTestData.Open("nvd-cve-api2-subset.json");
        var page = await NvdCveParser.ParsePageAsync(stream, problems);
        Assert.NotNull(page);
        Assert.Empty(problems.Problems);
        Assert.Equal(16, page.TotalResults);
        Assert.Equal(16, page.Cves.Count);

        var glibc = page.Cves.Single(c => c.Id == "CVE-2023-4911");
        var primary = Assert.Single(glibc.Severities, s => s.Primary && s.Source == "nvd@nist.gov" && s.Kind == CvssKind.V31);
        Assert.Equal(7.8, primary.Score);
        Assert.Equal("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", primary.Vector);
        Assert.Equal(Severity.High, primary.Rating);
        Assert.StartsWith("A buffer overflow", glibc.Details, StringComparison.Ordinal);
        Assert.Empty(glibc.Affected);

        Assert.Empty(page.Cves.Single(c => c.Id == "CVE-2024-21907").Severities);
        var log4j = page.Cves.Single(c => c.Id == "CVE-2021-44228");
        Assert.Contains(log4j.Severities, s => s is { Kind: CvssKind.V31, Score: 10.0, Primary: true });
        Assert.Contains(log4j.Severities, s => s.Kind == CvssKind.V2);
    }

    [Fact]
    public async Task Entries_without_id_are_reported()
    {
        const string json = """{"resultsPerPage":2,"startIndex":0,"totalResults":2,"vulnerabilities":[{"cve":{"published":"2020-01-01T00:00:00"}},{"cve":{"id":"CVE-2000-0001","vulnStatus":"Rejected","lastModified":"2021-01-01T00:00:00.000"}}]}""";
        var problems = new FeedProblemList();
        var cves = await FeedTestData.ParseAsync(new NvdCveParser(), FeedTestData.FromText(json), problems);
        var rejected = Assert.Single(cves);
        Assert.True(rejected.IsWithdrawn);
        Assert.Single(problems.Problems);
    }
}

using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Kev;
using SupplyChainMesh.Analysis.Tests.Advisories;

namespace SupplyChainMesh.Analysis.Tests.Kev;

public class KevCatalogTests
{
    [Fact]
    public async Task Entries_with_due_dates()
    {
        var problems = new FeedProblemList();
        await using var stream = FeedTestData.Open("kev-sample.json");
        var kev = await KevCatalog.ParseAsync(stream, problems);
        Assert.Empty(problems.Problems);
        Assert.Equal("2025.08.25", kev.CatalogVersion);
        Assert.Equal(2, kev.Count);
        var glibc = kev.Find("CVE-2023-4911");
        Assert.NotNull(glibc);
        Assert.Equal(new DateOnly(2023, 11, 21), glibc.DateAdded);
        Assert.Equal(new DateOnly(2023, 12, 12), glibc.DueDate);
        Assert.False(glibc.KnownRansomwareCampaignUse);
        Assert.True(kev.Find("cve-2021-44228")!.KnownRansomwareCampaignUse);
        Assert.Null(kev.Find("CVE-2024-3094"));
    }

    [Fact]
    public async Task Not_a_catalogue()
    {
        var problems = new FeedProblemList();
        var kev = await KevCatalog.ParseAsync(FeedTestData.FromText("""{"vulnerabilities":[{"product":"x"},{"cveID":"CVE-2000-0001","dueDate":"soon"}]}"""), problems);
        Assert.Equal(1, kev.Count);
        Assert.Null(kev.Find("CVE-2000-0001")!.DueDate);
        Assert.Single(problems.Problems);
    }
}

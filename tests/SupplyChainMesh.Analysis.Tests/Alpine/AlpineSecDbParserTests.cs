using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Alpine;
using SupplyChainMesh.Analysis.Tests.Advisories;

namespace SupplyChainMesh.Analysis.Tests.Alpine;

public class AlpineSecDbParserTests
{
    [Fact]
    public async Task Secfixes_become_fixed_ranges_in_the_release_ecosystem()
    {
        var problems = new FeedProblemList();
        var advisories = await FeedTestData.ParseAsync(new AlpineSecDbParser(), FeedTestData.Open("alpine-v3.18-main.json"), problems);
        Assert.Empty(problems.Problems);
        var zlib = Assert.Single(advisories, a => a.Id == "CVE-2022-37434");
        var affected = Assert.Single(zlib.Affected);
        Assert.Equal(("Alpine:v3.18", "zlib"), (affected.Ecosystem, affected.Name));
        Assert.Equal([new RangeEvent(RangeEventKind.Introduced, "0"), new RangeEvent(RangeEventKind.Fixed, "1.2.12-r2")], Assert.Single(affected.Ranges).Events);
        Assert.Equal(AlpineSecDbParser.FeedName, zlib.Source);
    }

    [Fact]
    public async Task Version_zero_means_never_affected()
    {
        // v3.18 zlib lists CVE-2023-45853 under "0"; avahi lists CVE-2021-26720 under "0".
        var advisories = await FeedTestData.ParseAsync(new AlpineSecDbParser(), FeedTestData.Open("alpine-v3.18-main.json"));
        Assert.DoesNotContain(advisories, a => a.Id == "CVE-2023-45853");
        Assert.DoesNotContain(advisories, a => a.Id == "CVE-2021-26720");
        Assert.Contains(advisories, a => a.Id == "CVE-2021-3468" && a.Affected[0].Name == "avahi");
    }

    [Fact]
    public async Task Several_ids_in_one_entry_become_id_and_aliases()
    {
        var advisories = await FeedTestData.ParseAsync(new AlpineSecDbParser(), FeedTestData.Open("alpine-v3.18-main.json"));
        var glib = Assert.Single(advisories, a => a.Id == "CVE-2021-27219");
        Assert.Equal(["GHSL-2021-045"], glib.Aliases);
    }

    [Fact]
    public async Task Malformed_entries_are_reported_and_skipped()
    {
        const string json = """
            {"distroversion":"v3.18","reponame":"main","packages":[
              {"pkg":{"secfixes":{"1.0-r0":["CVE-2000-0001"]}}},
              {"pkg":{"name":"bad","secfixes":{"1.0-r0":"CVE-2000-0002"}}},
              {"pkg":{"name":"good","secfixes":{"1.0-r0":["CVE-2000-0003"]}}}
            ]}
            """;
        var problems = new FeedProblemList();
        var advisories = await FeedTestData.ParseAsync(new AlpineSecDbParser(), FeedTestData.FromText(json), problems);
        Assert.Equal(["CVE-2000-0003"], advisories.Select(a => a.Id));
        Assert.Equal(2, problems.Count);
        Assert.Equal("bad", problems.Problems[1].RecordId);
    }

    [Fact]
    public async Task Not_a_secdb_document()
    {
        var problems = new FeedProblemList();
        Assert.Empty(await FeedTestData.ParseAsync(new AlpineSecDbParser(), FeedTestData.FromText("[1,2"), problems));
        Assert.Single(problems.Problems);
    }
}

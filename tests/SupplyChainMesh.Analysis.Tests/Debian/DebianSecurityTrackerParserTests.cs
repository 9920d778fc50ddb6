using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Debian;
using SupplyChainMesh.Analysis.Tests.Advisories;

namespace SupplyChainMesh.Analysis.Tests.Debian;

public class DebianSecurityTrackerParserTests
{
    private static Task<List<Advisory>> ParseSample(FeedProblemList? problems = null) =>
        FeedTestData.ParseAsync(new DebianSecurityTrackerParser(), FeedTestData.Open("debian-security-tracker-sample.json"), problems);

    [Fact]
    public async Task Resolved_release_becomes_a_fixed_range_per_release()
    {
        var problems = new FeedProblemList();
        var advisories = await ParseSample(problems);
        Assert.Empty(problems.Problems);
        var glibc = advisories.Single(a => a.Id == "CVE-2023-4911");
        Assert.Equal(["Debian:11", "Debian:12", "Debian:unstable"], glibc.Affected.Select(a => a.Ecosystem).Order());
        var bookworm = glibc.Affected.Single(a => a.Ecosystem == "Debian:12");
        Assert.Equal("glibc", bookworm.Name);
        Assert.Equal("not yet assigned", bookworm.EcosystemSeverity);
        Assert.Equal([new RangeEvent(RangeEventKind.Introduced, "0"), new RangeEvent(RangeEventKind.Fixed, "2.36-9+deb12u3")], bookworm.Ranges.Single().Events);
        Assert.StartsWith("A buffer overflow", glibc.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fixed_version_zero_means_the_release_was_never_affected()
    {
        var xz = (await ParseSample()).Single(a => a.Id == "CVE-2024-3094");
        Assert.DoesNotContain(xz.Affected, a => a.Ecosystem == "Debian:12");
        Assert.Contains(xz.Affected, a => a.Ecosystem == "Debian:13");
    }

    [Fact]
    public async Task Open_issue_is_unfixed_and_keeps_its_urgency()
    {
        var advisories = await ParseSample();
        var zlib = advisories.Single(a => a.Id == "CVE-2023-45853").Affected.Single(a => a.Ecosystem == "Debian:12");
        Assert.True(Assert.Single(zlib.Ranges.Single().Events).IsZero);
        var unimportant = advisories.Single(a => a.Id == "CVE-2010-4756").Affected.Single(a => a.Ecosystem == "Debian:12");
        Assert.Equal("unimportant", unimportant.EcosystemSeverity);
        Assert.Equal(Severity.Negligible, DebianSeverity.FromUrgency(unimportant.EcosystemSeverity));
    }

    [Fact]
    public async Task Malformed_entries_are_reported_and_the_rest_goes_on()
    {
        const string json = """
            {"pkg": {"CVE-2000-0001": {"description": "no releases"},
                     "CVE-2000-0002": {"releases": {"bookworm": {"status": "weird"}}},
                     "CVE-2000-0003": {"releases": {"bookworm": {"status": "resolved", "fixed_version": "1.0-1", "urgency": "low"}}}},
             "broken": ["not", "an", "object"]}
            """;
        var problems = new FeedProblemList();
        var advisories = await FeedTestData.ParseAsync(new DebianSecurityTrackerParser(), FeedTestData.FromText(json), problems);
        Assert.Equal(["CVE-2000-0002", "CVE-2000-0003"], advisories.Select(a => a.Id));
        Assert.Empty(advisories[0].Affected);
        Assert.Equal(3, problems.Count);
        Assert.Equal("CVE-2000-0001", problems.Problems[0].RecordId);
        Assert.Contains("weird", problems.Problems[1].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unimportant", Severity.Negligible)]
    [InlineData("low", Severity.Low)]
    [InlineData("medium**", Severity.Medium)]
    [InlineData("high", Severity.High)]
    [InlineData("not yet assigned", Severity.Unknown)]
    [InlineData("end-of-life", Severity.Unknown)]
    [InlineData(null, Severity.Unknown)]
    public void Urgency_to_severity(string? urgency, Severity expected) => Assert.Equal(expected, DebianSeverity.FromUrgency(urgency));
}

using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Tests.Matching;

/// <summary>OSV range evaluation (https://ossf.github.io/osv-schema/#evaluation) with the npm scheme.</summary>
public class AffectedEntryTests
{
    private static AffectedEntry Entry(IVersionScheme? scheme, IReadOnlyList<string>? versions, params AffectedRange[] ranges)
    {
        var affected = new AffectedPackage { Ecosystem = "npm", Name = "x", Ranges = ranges, Versions = versions ?? [] };
        return new AffectedEntry(new Advisory { Id = "GHSA-test", Source = "test", Affected = [affected] }, affected, scheme);
    }

    private static AffectedRange Semver(params (RangeEventKind Kind, string Version)[] events) =>
        new(RangeType.Semver, events.Select(e => new RangeEvent(e.Kind, e.Version)).ToArray());

    private static IVersionScheme Npm => VersionSchemes.ForOsvEcosystem("npm")!;

    [Theory]
    [InlineData("0.9.0", false, null)]
    [InlineData("1.0.0", true, "1.5.0")]
    [InlineData("1.4.9", true, "1.5.0")]
    [InlineData("1.5.0", false, null)]
    [InlineData("1.9.0", false, null)]
    [InlineData("2.0.0", true, null)]
    [InlineData("2.3.1", true, null)]
    [InlineData("2.3.2", false, null)]
    public void Two_intervals_the_second_ending_at_last_affected(string version, bool expected, string? expectedFix)
    {
        // Written out of order on purpose: evaluation sorts events by version first.
        var entry = Entry(Npm, null, Semver(
            (RangeEventKind.Introduced, "2.0.0"), (RangeEventKind.LastAffected, "2.3.1"),
            (RangeEventKind.Introduced, "1.0.0"), (RangeEventKind.Fixed, "1.5.0")));
        Assert.Equal(expected, entry.Matches(version, out var fix));
        Assert.Equal(expectedFix, fix);
    }

    [Fact]
    public void Introduced_zero_with_no_fix_is_every_version()
    {
        var entry = Entry(Npm, null, Semver((RangeEventKind.Introduced, "0")));
        Assert.True(entry.Matches("0.0.1", out var fix));
        Assert.Null(fix);
        Assert.True(entry.Matches("99.0.0", out _));
    }

    [Fact]
    public void Prerelease_sorts_before_its_release()
    {
        var entry = Entry(Npm, null, Semver((RangeEventKind.Introduced, "0"), (RangeEventKind.Fixed, "2.0.0")));
        Assert.True(entry.Matches("2.0.0-rc.1", out _));
        Assert.False(entry.Matches("2.0.0", out _));
    }

    [Fact]
    public void Explicit_versions_match_without_ranges_and_without_a_scheme()
    {
        var entry = Entry(null, ["1.2.3"], Semver((RangeEventKind.Introduced, "0")));
        Assert.True(entry.Matches("1.2.3", out _));
        Assert.False(entry.Matches("1.2.4", out _));
    }

    [Fact]
    public void Git_ranges_never_match_versions()
    {
        var entry = Entry(Npm, null, new AffectedRange(RangeType.Git, [new RangeEvent(RangeEventKind.Introduced, "0"), new RangeEvent(RangeEventKind.Fixed, "abc123")]));
        Assert.False(entry.Matches("1.0.0", out _));
    }

    [Fact]
    public void Unreadable_versions_do_not_crash()
    {
        var entry = Entry(Npm, null, Semver((RangeEventKind.Introduced, "not a version"), (RangeEventKind.Fixed, "1.0.0")));
        Assert.False(entry.Matches("also not a version", out _));
    }
}

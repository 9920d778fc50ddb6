using CsCheck;
using Semver;
using SupplyChainMesh.Analysis.Npm;
using SupplyChainMesh.Analysis.Tests.Versions;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Tests.Npm;

public class NpmVersionTests
{
    private static readonly NpmVersion Scheme = NpmVersion.Instance;

    // semver.org §11 precedence examples.
    [Fact]
    public void Orders_by_semver_precedence()
    {
        OrderingProperties.AscendingStrictly(Scheme,
            ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
             "1.0.0-rc.1", "1.0.0", "2.0.0", "2.1.0", "2.1.1", "10.0.0", "18446744073709551616.0.0"]);
    }

    [Theory]
    [InlineData("1.0.0+build.1", "1.0.0")]
    [InlineData("1.0.0-rc.1+a", "1.0.0-rc.1+b")]
    [InlineData("v1.2.3", "1.2.3")]
    [InlineData("=1.2.3", "1.2.3")]
    [InlineData(" 1.2.3 ", "1.2.3")]
    [InlineData("01.002.3", "1.2.3")]
    [InlineData("1.2.3beta", "1.2.3-beta")]
    public void Ignores_build_metadata_and_reads_loose_forms(string left, string right)
    {
        Assert.Equal(0, Scheme.Compare(left, right));
        Assert.True(Scheme.IsValid(left));
    }

    [Theory]
    [InlineData("1.2")]
    [InlineData("a.b.c")]
    [InlineData("1.2.3-")]
    [InlineData("1.2.3+")]
    [InlineData("1.2.3-a..b")]
    [InlineData("")]
    [InlineData("1.2.3.4")]
    public void Rejects_non_versions_with_a_typed_error(string text)
    {
        Assert.False(Scheme.IsValid(text));
        var ex = Assert.Throws<VersionFormatException>(() => Scheme.Compare(text, "1.0.0"));
        Assert.Equal(text, ex.Version);
    }

    // node-semver README range facts.
    [Theory]
    [InlineData("1.2.3 - 2.3.4", "2.3.4", true)]
    [InlineData("1.2.3 - 2.3.4", "2.3.5", false)]
    [InlineData("^1.2.3", "1.9.9", true)]
    [InlineData("^1.2.3", "2.0.0", false)]
    [InlineData("^0.2.3", "0.3.0", false)]
    [InlineData("~1.2.3", "1.2.9", true)]
    [InlineData("~1.2.3", "1.3.0", false)]
    [InlineData("^1.2.3", "1.3.0-beta", false)]
    [InlineData(">1.2.3-alpha.3", "1.2.3-alpha.7", true)]
    [InlineData(">1.2.3-alpha.3", "3.4.5-alpha.9", false)]
    [InlineData(">1.2.3-alpha.3", "3.4.5", true)]
    [InlineData("1.x || >=2.5.0 || 5.0.0 - 7.2.3", "1.2.3", true)]
    [InlineData("1.x || >=2.5.0 || 5.0.0 - 7.2.3", "2.4.0", false)]
    [InlineData("<4.17.21", "v4.17.20", true)]
    public void Matches_npm_ranges(string range, string version, bool expected) =>
        Assert.Equal(expected, NpmVersion.Satisfies(version, NpmVersion.ParseRange(range)));

    [Fact]
    public void Bad_range_is_a_typed_error() =>
        Assert.Throws<VersionFormatException>(() => NpmVersion.ParseRange(">=1.0.0 <<2"));

    internal static readonly Gen<string> StrictVersions =
        Gen.Select(
            Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 12],
            Gen.OneOf<string>("", "alpha", "beta", "rc").Select(Gen.Int[0, 11], Gen.Int[0, 2]),
            Gen.OneOf<string>("", "+build", "+b.1"))
        .Select((major, minor, patch, pre, build) =>
        {
            var (label, n, shape) = pre;
            var prerelease = shape switch
            {
                0 => "",
                1 => label.Length == 0 ? $"-{n}" : $"-{label}",
                _ => label.Length == 0 ? $"-{n}.{label}x" : $"-{label}.{n}",
            };
            return $"{major}.{minor}.{patch}{prerelease}{build}";
        });

    [Fact]
    public void Ordering_laws_hold_on_generated_versions() => OrderingProperties.Hold(Scheme, StrictVersions);

    [Fact]
    public void Agrees_with_the_Semver_library_precedence()
    {
        StrictVersions.Select(StrictVersions).Sample((a, b) =>
            Math.Sign(Scheme.Compare(a, b)) ==
            Math.Sign(SemVersion.ComparePrecedence(SemVersion.Parse(a, SemVersionStyles.Strict), SemVersion.Parse(b, SemVersionStyles.Strict))));
    }
}

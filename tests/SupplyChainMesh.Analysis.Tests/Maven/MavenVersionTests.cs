using CsCheck;
using SupplyChainMesh.Analysis.Maven;
using SupplyChainMesh.Analysis.Tests.Versions;

namespace SupplyChainMesh.Analysis.Tests.Maven;

public class MavenVersionTests
{
    private static readonly MavenVersionScheme Scheme = MavenVersionScheme.Instance;

    // Sequences from Maven's ComparableVersionTest (VERSIONS_QUALIFIER, VERSIONS_NUMBER).
    [Fact]
    public void Orders_qualifiers_as_Maven() =>
        OrderingProperties.AscendingStrictly(Scheme,
            ["1-alpha2snapshot", "1-alpha2", "1-alpha-123", "1-beta-2", "1-beta123", "1-m2", "1-m11", "1-rc", "1-cr2",
             "1-rc123", "1-SNAPSHOT", "1", "1-sp", "1-sp2", "1-sp123", "1-abc", "1-def", "1-pom-1", "1-1-snapshot",
             "1-1", "1-2", "1-123"]);

    [Fact]
    public void Orders_numbers_as_Maven() =>
        OrderingProperties.AscendingStrictly(Scheme,
            ["2.0", "2-1", "2.0.a", "2.0.0.a", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b", "2.1-c", "2.1-1", "2.1.0.1",
             "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11", "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m"]);

    [Theory]
    [InlineData("1", "1")]
    [InlineData("1", "1.0")]
    [InlineData("1", "1.0.0")]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1", "1-0")]
    [InlineData("1", "1.0-0")]
    [InlineData("1.0", "1.0-0")]
    [InlineData("1a", "1-a")]
    [InlineData("1a", "1.0-a")]
    [InlineData("1a", "1.0.0-a")]
    [InlineData("1x", "1-x")]
    [InlineData("1x", "1.0-x")]
    [InlineData("1x", "1.0.0-x")]
    [InlineData("1ga", "1")]
    [InlineData("1final", "1")]
    [InlineData("1release", "1")]
    [InlineData("1cr", "1rc")]
    [InlineData("1a1", "1alpha1")]
    [InlineData("1b2", "1beta2")]
    [InlineData("1m3", "1milestone3")]
    [InlineData("1X", "1x")]
    [InlineData("1A", "1a")]
    [InlineData("1B", "1b")]
    [InlineData("1M", "1m")]
    [InlineData("1Ga", "1")]
    [InlineData("1GA", "1")]
    [InlineData("1Final", "1")]
    [InlineData("1FinaL", "1")]
    [InlineData("1FINAL", "1")]
    [InlineData("1Cr", "1Rc")]
    [InlineData("1cR", "1rC")]
    [InlineData("1m3", "1Milestone3")]
    [InlineData("1m3", "1MileStone3")]
    [InlineData("1m3", "1MILESTONE3")]
    [InlineData("1-abcdefghijklmnopqrstuvwxyz", "1-ABCDEFGHIJKLMNOPQRSTUVWXYZ")]
    public void Treats_as_equal_what_Maven_does(string left, string right)
    {
        Assert.Equal(0, Scheme.Compare(left, right));
        Assert.Equal(0, Scheme.Compare(right, left));
        var a = MavenVersion.Parse(left);
        var b = MavenVersion.Parse(right);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(a.Canonical, MavenVersion.Parse(a.Canonical).Canonical);
    }

    [Theory]
    [InlineData("1", "2")]
    [InlineData("1.5", "2")]
    [InlineData("1", "2.5")]
    [InlineData("1.0", "1.1")]
    [InlineData("1.1", "1.2")]
    [InlineData("1.0.0", "1.1")]
    [InlineData("1.0.1", "1.1")]
    [InlineData("1.1", "1.2.0")]
    [InlineData("1.0-alpha-1", "1.0")]
    [InlineData("1.0-alpha-1", "1.0-alpha-2")]
    [InlineData("1.0-alpha-1", "1.0-beta-1")]
    [InlineData("1.0-beta-1", "1.0-SNAPSHOT")]
    [InlineData("1.0-SNAPSHOT", "1.0")]
    [InlineData("1.0-alpha-1-SNAPSHOT", "1.0-alpha-1")]
    [InlineData("1.0", "1.0-1")]
    [InlineData("1.0-1", "1.0-2")]
    [InlineData("1.0.0", "1.0-1")]
    [InlineData("2.0-1", "2.0.1")]
    [InlineData("2.0.1-klm", "2.0.1-lmn")]
    [InlineData("2.0.1", "2.0.1-xyz")]
    [InlineData("2.0.1", "2.0.1-123")]
    [InlineData("2.0.1-xyz", "2.0.1-123")]
    [InlineData("2.17.0", "2.17.1")]
    [InlineData("1.2.3", "10000000000000000000000.1")]
    public void Orders_as_Maven(string lower, string higher)
    {
        Assert.True(Scheme.Compare(lower, higher) < 0, $"{lower} < {higher}");
        Assert.True(Scheme.Compare(higher, lower) > 0, $"{higher} > {lower}");
    }

    [Fact]
    public void Letters_after_digits_open_a_sub_list()
    {
        // 1a is 1-a (a sub-list), which sorts after the plain item of 1.a; 1-a and 1a are the same.
        Assert.True(Scheme.Compare("1a", "1.a") > 0);
        Assert.Equal(0, Scheme.Compare("1a", "1-a"));
    }

    // Maven 3.6's order is not transitive on every string: "3.foo" > "3" > "3-beta" yet "3.foo" < "3-beta" (a
    // qualifier after '.' is a plain item, after '-' a sub-list), and "0-10" >= "0" >= "0.snapshot" yet
    // "0-10" < "0.snapshot". That is Maven's own behaviour (later Maven releases changed the parser for it), so the laws
    // are checked on versions shaped as Maven recommends: numbers after '.', qualifiers after '-', a non-zero start.
    // Release aliases (ga, final) in the middle are left out too: "1-foo-final" >= "1" >= "1-ga-beta" yet "1-foo-final" < "1-ga-beta".
    private static readonly Gen<string> Versions =
        Gen.Select(
            Gen.Int[1, 3],
            Gen.OneOf<string>(".0", ".1", ".2", ".10", "-1", "-2", "-alpha", "-beta", "-rc", "-cr", "-snapshot", "-SNAPSHOT", "-sp", "-foo", "-a1", "-b2", "-m3", "-rc1", "-beta-2").Array[0, 4])
        .Select((first, rest) => first + string.Concat(rest));

    [Fact]
    public void Ordering_laws_hold_on_generated_versions() => OrderingProperties.Hold(Scheme, Versions);
}

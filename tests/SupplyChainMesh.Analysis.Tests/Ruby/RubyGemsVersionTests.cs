using CsCheck;
using SupplyChainMesh.Analysis.Ruby;
using SupplyChainMesh.Analysis.Tests.Versions;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Tests.Ruby;

public class RubyGemsVersionTests
{
    private static readonly RubyGemsVersionScheme Scheme = RubyGemsVersionScheme.Instance;

    // RubyGems' test/rubygems/test_gem_version.rb (test_spaceship, test_equals2, test_initialize).
    [Theory]
    [InlineData("1.0", "1.0.0", 0)]
    [InlineData("1.0", "1.0.a", 1)]
    [InlineData("1.8.2", "0.0.0", 1)]
    [InlineData("1.8.2", "1.8.2.a", 1)]
    [InlineData("1.8.2.b", "1.8.2.a", 1)]
    [InlineData("1.8.2.a", "1.8.2", -1)]
    [InlineData("1.8.2.a10", "1.8.2.a9", 1)]
    [InlineData("", "0", 0)]
    [InlineData("1.2", "1.2", 0)]
    [InlineData("1.2", "1.3", -1)]
    [InlineData("1.2.b1", "1.2.b.1", 0)]
    [InlineData("1.0 ", "1.0", 0)]
    [InlineData(" 1.0 ", "1.0", 0)]
    [InlineData("1.0\n", "1.0", 0)]
    [InlineData("\n1.0\n", "1.0", 0)]
    [InlineData("1.9.3.alpha.5", "1.9.3", -1)]
    [InlineData("1.1.rc10", "1.1", -1)]
    [InlineData("1.0.0-rc1", "1.0.0.pre.rc1", 0)]
    [InlineData("2.6.0.preview2", "2.6.0.rc1", -1)]
    [InlineData("7.0.4.1", "7.0.4", 1)]
    public void Orders_as_RubyGems(string left, string right, int expected)
    {
        Assert.Equal(expected, Math.Sign(Scheme.Compare(left, right)));
        Assert.Equal(-expected, Math.Sign(Scheme.Compare(right, left)));
    }

    // test_semver: each is less than the next.
    [Fact]
    public void Orders_semver_shaped_versions() =>
        OrderingProperties.AscendingStrictly(Scheme,
            ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"]);

    [Theory]
    [InlineData("1.2.0.a", true)]
    [InlineData("2.9.b", true)]
    [InlineData("22.1.50.0.d", true)]
    [InlineData("1.2.d.42", true)]
    [InlineData("1.A", true)]
    [InlineData("1.2.0", false)]
    [InlineData("2.9", false)]
    [InlineData("22.1.50.0", false)]
    public void Knows_prereleases(string text, bool expected) => Assert.Equal(expected, RubyGemsVersion.Parse(text).IsPrerelease);

    [Theory]
    [InlineData("junk")]
    [InlineData("1.0\n2.0")]
    [InlineData("1..0")]
    [InlineData("1.0-")]
    [InlineData("1a")]
    public void Rejects_malformed_versions(string text)
    {
        Assert.False(Scheme.IsValid(text));
        var ex = Assert.Throws<VersionFormatException>(() => RubyGemsVersion.Parse(text));
        Assert.Equal("Malformed version number string", ex.Reason);
    }

    [Fact]
    public void Ordering_laws_hold_on_generated_versions() =>
        OrderingProperties.Hold(Scheme,
            Gen.Select(Gen.Int[0, 3], Gen.OneOf<string>(".0", ".1", ".10", ".a", ".b", ".pre", ".rc1", ".0a", "-1", "-rc.1", ".0.0").Array[0, 4])
                .Select((first, rest) => first + string.Concat(rest)));
}

using CsCheck;
using SupplyChainMesh.Analysis.NuGet;
using SupplyChainMesh.Analysis.Tests.Versions;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Tests.NuGet;

public class NuGetVersionSchemeTests
{
    private static readonly NuGetVersionScheme Scheme = NuGetVersionScheme.Instance;

    [Theory]
    [InlineData("1.0", "1.0.0", 0)]
    [InlineData("1.0.0.0", "1.0.0", 0)]
    [InlineData("1.0.0-BETA", "1.0.0-beta", 0)]
    [InlineData("1.0.0+meta", "1.0.0", 0)]
    [InlineData("1.0.0-beta", "1.0.0", -1)]
    [InlineData("1.0.0-alpha.2", "1.0.0-alpha.10", -1)]
    [InlineData("1.0.0.1", "1.0.1", -1)]
    [InlineData("13.0.1", "13.0.3", -1)]
    [InlineData("4.7.0", "4.10.0", -1)]
    public void Orders_as_NuGet(string left, string right, int expected)
    {
        Assert.Equal(expected, Math.Sign(Scheme.Compare(left, right)));
        Assert.Equal(-expected, Math.Sign(Scheme.Compare(right, left)));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("1.0.0.0.0")]
    [InlineData("")]
    public void Rejects_non_versions(string text)
    {
        Assert.False(Scheme.IsValid(text));
        Assert.Throws<VersionFormatException>(() => Scheme.Compare(text, "1.0"));
    }

    [Fact]
    public void Reads_ranges()
    {
        var range = NuGetVersionScheme.ParseRange("[1.0,2.0)");
        Assert.True(range.Satisfies(NuGetVersionScheme.Parse("1.5")));
        Assert.False(range.Satisfies(NuGetVersionScheme.Parse("2.0")));
        Assert.Throws<VersionFormatException>(() => NuGetVersionScheme.ParseRange("[2.0,"));
    }

    [Fact]
    public void Ordering_laws_hold_on_generated_versions() =>
        OrderingProperties.Hold(Scheme,
            Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 2], Gen.OneOf<string>("", "-alpha", "-BETA.2", "-beta.10", "-rc"))
                .Select((a, b, c, d, pre) => d == 0 ? $"{a}.{b}.{c}{pre}" : $"{a}.{b}.{c}.{d}{pre}"));
}

using CsCheck;
using SupplyChainMesh.Analysis.Go;
using SupplyChainMesh.Analysis.Tests.Versions;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Tests.Go;

public class GoVersionTests
{
    private static readonly GoVersion Scheme = GoVersion.Instance;

    [Fact]
    public void Orders_module_versions_and_pseudo_versions() =>
        OrderingProperties.AscendingStrictly(Scheme,
        [
            "v0.0.0-20191109021931-daa7c04131f5", // pseudo-version with no earlier tag
            "v0.0.0-20200101000000-aaaaaaaaaaaa",
            "v0.1.0-alpha", "v0.1.0", "v1.0.0-rc.1", "v1.0.0",
            "v1.2.3",
            "v1.2.4-0.20191109021931-daa7c04131f5", // pseudo-version after v1.2.3
            "v1.2.4-pre",
            "v1.2.4",
            "v1.10.0",
            "v2.0.0+incompatible",
            "v2.1.0",
        ]);

    [Theory]
    [InlineData("v1", "v1.0.0")]
    [InlineData("v1.2", "v1.2.0")]
    [InlineData("1.2.3", "v1.2.3")]
    [InlineData("v2.0.0+incompatible", "v2.0.0")]
    [InlineData("go1.20", "1.20.0")]
    [InlineData("go1.20", "v1.20.0")]
    [InlineData("go1.21.5", "1.21.5")]
    [InlineData("go1.21rc2", "v1.21.0-rc.2")]
    [InlineData("go1.19beta1", "1.19.0-beta.1")]
    [InlineData("go1.22.1 X:nocoverageredesign", "1.22.1")]
    public void Equal_forms(string left, string right) => Assert.Equal(0, Scheme.Compare(left, right));

    [Fact]
    public void Orders_toolchain_versions() =>
        OrderingProperties.AscendingStrictly(Scheme,
            ["go1.9", "go1.10", "go1.19beta1", "go1.19rc1", "go1.19rc2", "go1.19rc10", "go1.19", "go1.19.1", "go1.20", "1.20.1", "go1.21rc2", "go1.21.0"]);

    [Theory]
    [InlineData("go1.20", "v1.20.0")]
    [InlineData("go1.21rc2", "v1.21.0-rc.2")]
    [InlineData("1.20.0", "v1.20.0")]
    [InlineData("v1.2.3+incompatible", "v1.2.3+incompatible")]
    public void Normalises(string text, string expected) => Assert.Equal(expected, GoVersion.Normalize(text));

    [Theory]
    [InlineData("v0.0.0-20191109021931-daa7c04131f5", true)]
    [InlineData("v1.2.4-0.20191109021931-daa7c04131f5", true)]
    [InlineData("v1.2.4-pre.0.20191109021931-daa7c04131f5", true)]
    [InlineData("v1.2.4-pre", false)]
    [InlineData("v1.2.4", false)]
    public void Recognises_pseudo_versions(string text, bool expected) => Assert.Equal(expected, GoVersion.IsPseudoVersion(text));

    [Theory]
    [InlineData("")]
    [InlineData("latest")]
    [InlineData("v1.2.3.4")]
    [InlineData("v01.2.3")]
    [InlineData("v1.2-pre")]
    [InlineData("go1.21xyz")]
    public void Rejects_non_versions(string text)
    {
        Assert.False(Scheme.IsValid(text));
        Assert.Throws<VersionFormatException>(() => Scheme.Compare(text, "v1.0.0"));
    }

    [Fact]
    public void Ordering_laws_hold_on_generated_versions() =>
        OrderingProperties.Hold(Scheme,
            Gen.Select(Gen.OneOf<string>("v", "", "go"), Gen.Int[0, 2], Gen.Int[0, 21], Gen.Int[0, 2], Gen.OneOf<string>("", "-rc.1", "-0.20191109021931-daa7c04131f5", "+incompatible", "rc1", "beta2"))
                .Where((prefix, _, _, _, suffix) => prefix == "go" ? suffix is "" or "rc1" or "beta2" : suffix is not ("rc1" or "beta2"))
                .Select((prefix, a, b, c, suffix) => prefix == "go" ? $"go{a}.{b}{(c == 0 ? "" : "." + c)}{suffix}" : $"{prefix}{a}.{b}.{c}{suffix}"));
}

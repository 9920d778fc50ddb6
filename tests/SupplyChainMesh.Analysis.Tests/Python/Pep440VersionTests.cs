using CsCheck;
using SupplyChainMesh.Analysis.Python;
using SupplyChainMesh.Analysis.Tests.Versions;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Tests.Python;

public class Pep440VersionTests
{
    private static readonly Pep440VersionScheme Scheme = Pep440VersionScheme.Instance;

    // pypa/packaging tests/test_version.py VERSIONS: "This list must be in the correct sorting order".
    private static readonly string[] Ordered =
    [
        "1.0.dev0", "1.0.dev456", "1.0.dev456+local", "1.0a0", "1.0a0.post0.dev0", "1.0a0.post0", "1.0a1.dev1",
        "1.0a1.dev1+local", "1.0a1", "1.0a1+local", "1.0b0", "1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456",
        "1.0b2.post345", "1.0b2-346", "1.0rc0", "1.0rc1.dev1", "1.0c1", "1.0rc2", "1.0", "1.0.post0.dev0", "1.0.post0",
        "1.0.post456.dev34", "1.0.post456", "1.0.post456+local", "1.0.1.dev1", "1.0.1a1", "1.0.1", "1.0.1+local",
        "1.0.1.post1", "1.1.dev1", "1.2+a", "1.2+abc", "1.2+abcdef", "1.2+def", "1.2+0", "1.2+1", "1.2+1.abc",
        "1.2+1.1", "1.2+1.1.0", "1.2+2", "1.2+123", "1.2+123456", "1.2.r32+123456", "1.2.rev33+123456",
    ];

    [Fact]
    public void Orders_the_packaging_list()
    {
        var all = Ordered.Concat(Ordered.Select(v => "1!" + v)).ToArray();
        // "1.0c1" and "1.0rc1.dev1" are neighbours, not equal; only rc1/c1 spellings are equal.
        OrderingProperties.AscendingStrictly(Scheme, all);
    }

    [Theory]
    [InlineData("french toast")]
    [InlineData("1.0+a+")]
    [InlineData("1.0++")]
    [InlineData("1.0+_foobar")]
    [InlineData("1.0+foo&asd")]
    [InlineData("1.0+1+1")]
    [InlineData("1. 0")]
    [InlineData("1 .0")]
    [InlineData("1. 0a1")]
    [InlineData("1 .0a1")]
    [InlineData("1.0 a1")]
    [InlineData("1.0a 1")]
    [InlineData("٠١٢.٣٤٥.٦٧٨٩")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("1..0")]
    [InlineData("1.0.")]
    [InlineData(".1.0")]
    [InlineData("1..2.3")]
    [InlineData("1.0+\u0130")]
    [InlineData("")]
    public void Rejects_what_packaging_rejects(string text)
    {
        Assert.False(Scheme.IsValid(text));
        Assert.Throws<VersionFormatException>(() => Pep440Version.Parse(text));
        Assert.Throws<VersionFormatException>(() => Scheme.Compare(text, "1.0"));
    }

    [Theory]
    [InlineData("1.0dev", "1.0.dev0")]
    [InlineData("1.0.dev", "1.0.dev0")]
    [InlineData("1.0dev1", "1.0.dev1")]
    [InlineData("1.0-dev", "1.0.dev0")]
    [InlineData("1.0-DEV1", "1.0.dev1")]
    [InlineData("1.0a", "1.0a0")]
    [InlineData("1.0.a1", "1.0a1")]
    [InlineData("1.0-alpha1", "1.0a1")]
    [InlineData("1.0ALPHA", "1.0a0")]
    [InlineData("1.0.B1", "1.0b1")]
    [InlineData("1.0-beta", "1.0b0")]
    [InlineData("1.0c", "1.0rc0")]
    [InlineData("1.0.c1", "1.0rc1")]
    [InlineData("1.0-RC1", "1.0rc1")]
    [InlineData("1.0post", "1.0.post0")]
    [InlineData("1.0-post1", "1.0.post1")]
    [InlineData("1.0r", "1.0.post0")]
    [InlineData("1.0rev", "1.0.post0")]
    [InlineData("1.0.r1", "1.0.post1")]
    [InlineData("1.0-5", "1.0.post5")]
    [InlineData("1.0-r5", "1.0.post5")]
    [InlineData("1.0-rev5", "1.0.post5")]
    [InlineData("1.0+AbC", "1.0+abc")]
    [InlineData("1.01", "1.1")]
    [InlineData("1.0a05", "1.0a5")]
    [InlineData("1.0c056", "1.0rc56")]
    [InlineData("1.0.post000", "1.0.post0")]
    [InlineData("1.1.dev09000", "1.1.dev9000")]
    [InlineData("00!1.2", "1.2")]
    [InlineData("0100!0.0", "100!0.0")]
    [InlineData("v1.0", "1.0")]
    [InlineData("   v1.0\t\n", "1.0")]
    [InlineData("\u202F1.0\t\u2029\n ", "1.0")]
    [InlineData("1.0.4+8.0", "1.0.4+8.0")]
    [InlineData("7!1.0b2.post345.dev456", "7!1.0b2.post345.dev456")]
    public void Normalises_as_packaging(string text, string normalized)
    {
        var v = Pep440Version.Parse(text);
        Assert.Equal(normalized, v.Normalized);
        Assert.Equal(0, Scheme.Compare(text, normalized));
    }

    [Theory]
    [InlineData("1.0rc1", "1.0c1")]
    [InlineData("1.0", "1.0.0")]
    [InlineData("1.0", "1.0.0.0")]
    [InlineData("1!1.0", "01!1.0.0")]
    public void Equal_versions_are_equal(string left, string right)
    {
        Assert.Equal(0, Scheme.Compare(left, right));
        Assert.Equal(Pep440Version.Parse(left).GetHashCode(), Pep440Version.Parse(right).GetHashCode());
    }

    private static readonly Gen<string> Versions =
        Gen.Select(
            Gen.OneOf<string>("", "1!"),
            Gen.Int[0, 2].Array[1, 3].Select(a => string.Join('.', a)),
            Gen.OneOf<string>("", "a", "b", "rc", "c", ".alpha", "-beta").Select(Gen.Int[0, 2]),
            Gen.OneOf<string>("", ".post", "-", ".r").Select(Gen.Int[0, 2]),
            Gen.OneOf<string>("", ".dev", "dev").Select(Gen.Int[0, 2]),
            Gen.OneOf<string>("", "+local", "+1", "+1.a", "+a.1", "+0"))
        .Select((epoch, release, pre, post, dev, local) =>
            epoch + release
            + (pre.Item1.Length == 0 ? "" : pre.Item1 + pre.Item2)
            + (post.Item1.Length == 0 ? "" : post.Item1 + post.Item2)
            + (dev.Item1.Length == 0 ? "" : dev.Item1 + dev.Item2)
            + local);

    [Fact]
    public void Ordering_laws_hold_on_generated_versions() => OrderingProperties.Hold(Scheme, Versions);

    [Fact]
    public void Normal_form_orders_like_the_original() =>
        Versions.Sample(v => Scheme.Compare(v, Pep440Version.Parse(v).Normalized) == 0 && Scheme.IsValid(Pep440Version.Parse(v).Normalized));
}

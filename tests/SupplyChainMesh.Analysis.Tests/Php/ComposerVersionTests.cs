using CsCheck;
using SupplyChainMesh.Analysis.Php;
using SupplyChainMesh.Analysis.Tests.Versions;
using SupplyChainMesh.Analysis.Versions;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Php;

public class ComposerVersionTests
{
    private static readonly ComposerVersionScheme Scheme = ComposerVersionScheme.Instance;

    [Fact]
    public void Orders_stabilities_as_Composer() =>
        OrderingProperties.AscendingStrictly(Scheme,
            ["1.0.0-dev", "1.0.0-alpha", "1.0.0-alpha2", "1.0.0-beta", "1.0.0-beta1", "1.0.0-beta2-dev", "1.0.0-beta2",
             "1.0.0-beta.10", "1.0.0-RC1", "1.0.0", "1.0.0-patch1", "1.0.0-p2", "1.0.1", "1.0.1.1", "1.1", "2.0.0"]);

    [Theory]
    [InlineData("v1.2.3", "1.2.3")]
    [InlineData("1.2", "1.2.0.0")]
    [InlineData("1.0.0-b2", "1.0.0-beta2")]
    [InlineData("1.0.0-a", "1.0.0-alpha")]
    [InlineData("1.0.0-rc.1", "1.0.0-RC1")]
    [InlineData("1.0.0-pl1", "1.0.0-patch1")]
    [InlineData("1.0.0-stable", "1.0.0")]
    [InlineData("1.0.0+build.5", "1.0.0")]
    [InlineData("1.0.0.beta1", "1.0.0-beta1")]
    public void Equal_spellings(string left, string right) => Assert.Equal(0, Scheme.Compare(left, right));

    [Theory]
    [InlineData("dev-main")]
    [InlineData("")]
    [InlineData("1.0.0-foo")]
    [InlineData("1.0.0.0.0")]
    [InlineData("latest")]
    public void Rejects_what_is_not_a_release(string text)
    {
        Assert.False(Scheme.IsValid(text));
        Assert.Throws<VersionFormatException>(() => Scheme.Compare(text, "1.0.0"));
    }

    [Fact]
    public void Every_version_of_the_fixture_installed_json_files_is_valid()
    {
        var versions = Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Fixtures, "lang", "php"), "installed.json", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("\"version\": \"", StringComparison.Ordinal))
            .Select(line => line["\"version\": \"".Length..line.LastIndexOf('"')])
            .ToList();
        Assert.True(versions.Count > 5);
        Assert.All(versions, v => Assert.True(Scheme.IsValid(v), v));
    }

    [Fact]
    public void Ordering_laws_hold_on_generated_versions() =>
        OrderingProperties.Hold(Scheme,
            Gen.Select(Gen.OneOf<string>("", "v"), Gen.Int[0, 2].Array[1, 4].Select(a => string.Join('.', a)),
                    Gen.OneOf<string>("", "-dev", "-alpha", "-a1", "-beta2", "-b.3", "-RC1", "-rc", "-patch1", "-p", "-beta1-dev"))
                .Select((v, numbers, suffix) => v + numbers + suffix));
}

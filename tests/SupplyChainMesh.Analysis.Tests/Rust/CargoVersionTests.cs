using SupplyChainMesh.Analysis.Rust;
using SupplyChainMesh.Analysis.Tests.Npm;
using SupplyChainMesh.Analysis.Tests.Versions;
using SupplyChainMesh.Analysis.Versions;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Rust;

public class CargoVersionTests
{
    private static readonly CargoVersion Scheme = CargoVersion.Instance;

    [Fact]
    public void Orders_by_semver_precedence() =>
        OrderingProperties.AscendingStrictly(Scheme,
            ["0.1.0", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11",
             "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0"]);

    [Theory]
    [InlineData("v1.0.0")]
    [InlineData("1.0")]
    [InlineData("01.0.0")]
    [InlineData("1.0.0-01")]
    [InlineData(" 1.0.0")]
    public void Rejects_what_the_semver_crate_rejects(string text)
    {
        Assert.False(Scheme.IsValid(text));
        Assert.Throws<VersionFormatException>(() => Scheme.Compare(text, "1.0.0"));
    }

    [Fact]
    public void Ignores_build_metadata() => Assert.Equal(0, Scheme.Compare("1.0.0+20130313144700", "1.0.0+exp.sha.5114f85"));

    [Fact]
    public void Every_version_of_the_fixture_lock_files_is_valid()
    {
        var versions = Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Fixtures, "lang", "rust"), "*.lock")
            .SelectMany(File.ReadLines)
            .Where(line => line.StartsWith("version = \"", StringComparison.Ordinal))
            .Select(line => line["version = \"".Length..^1])
            .ToList();
        Assert.True(versions.Count > 20);
        Assert.All(versions, v => Assert.True(Scheme.IsValid(v), v));
    }

    [Fact]
    public void Ordering_laws_hold_on_generated_versions() => OrderingProperties.Hold(Scheme, NpmVersionTests.StrictVersions);
}

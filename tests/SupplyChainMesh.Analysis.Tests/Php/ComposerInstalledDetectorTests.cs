using System.Text;
using SupplyChainMesh.Analysis.Php;
using SupplyChainMesh.Analysis.Tests.LanguageDetection;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Php;

public class ComposerInstalledDetectorTests
{
    private readonly ComposerInstalledDetector _detector = new();

    [Theory]
    [InlineData("composer_1", "asm89/stack-cors@1.3.0[MIT],behat/mink@v1.8.1[MIT]")]
    [InlineData("composer_2", "asm89/stack-cors@1.3.0[MIT],behat/mink@v1.8.1[MIT]")]
    [InlineData("trivy-happy", "pear/log@1.13.3[MIT],pear/pear_exception@v1.0.2[BSD-2-Clause]")]
    public async Task Composer_1_and_2_installed_json(string fixture, string expected)
    {
        var file = Path.Combine(RepositoryLayout.Fixtures, "lang", "php", fixture, "installed.json");
        var sink = await DetectorRun.FileAsync(_detector, file, "var/www/vendor/composer/installed.json");
        Assert.Empty(sink.Problems);
        Assert.Equal(expected, string.Join(',', sink.Packages.Select(p => $"{p.Namespace}/{p.Name}@{p.Version}[{string.Join('|', p.Licenses)}]")));
        Assert.Equal("pkg:composer/pear/log@1.13.3", sink.Packages.FirstOrDefault(p => p.Name == "log")?.Purl ?? "pkg:composer/pear/log@1.13.3");
    }

    [Theory]
    [InlineData("var/www/vendor/composer/installed.json", true)]
    [InlineData("vendor/composer/installed.json", true)]
    [InlineData("var/www/installed.json", false)]
    [InlineData("var/www/vendor/composer/installed.php", false)]
    public void Wants_only_composer_installed_json(string path, bool wanted) =>
        Assert.Equal(wanted, _detector.Wants(new SupplyChainMesh.Analysis.Layers.LayerFile(path, 10, 0b110_100_100)));

    [Theory]
    [InlineData("{\"packages\": [ {\"name\": \"a/b\", ")]
    [InlineData("{\"packages\": 3}")]
    [InlineData("\"just a string\"")]
    public async Task Malformed_installed_json_is_a_problem(string json)
    {
        var sink = await DetectorRun.BytesAsync(_detector, Encoding.UTF8.GetBytes(json), "vendor/composer/installed.json");
        Assert.Empty(sink.Packages);
        Assert.Single(sink.Problems);
    }
}

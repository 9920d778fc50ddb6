using System.Text;
using SupplyChainMesh.Analysis.Ruby;
using SupplyChainMesh.Analysis.Tests.LanguageDetection;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Ruby;

public class GemspecDetectorTests
{
    private const string Specifications = "usr/local/lib/ruby/gems/3.2.0/specifications/";
    private readonly GemspecDetector _detector = new();

    // Oracle: each stub's "# stub: <name> <version>" comment line (written by RubyGems) and its licences.
    [Theory]
    [InlineData("bundler.gemspec", "bundler", "2.1.4", "MIT")]
    [InlineData("formatador.gemspec", "formatador", "1.1.0", "MIT")]
    [InlineData("multiple_licenses.gemspec", "test-unit", "3.3.7", "Ruby,BSDL,PSFL")]
    [InlineData("normal00.gemspec", "rake", "13.0.3", "MIT")]
    public async Task Fixture_gemspec(string fixture, string name, string version, string licenses)
    {
        var file = Path.Combine(RepositoryLayout.Fixtures, "lang", "ruby", "specifications", fixture);
        var stub = File.ReadLines(file).FirstOrDefault(l => l.StartsWith("# stub: ", StringComparison.Ordinal))?.Split(' ');
        if (stub is not null) Assert.Equal((stub[2], stub[3]), (name, version));
        var sink = await DetectorRun.FileAsync(_detector, file, Specifications + $"{name}-{version}.gemspec");
        Assert.Empty(sink.Problems);
        var package = Assert.Single(sink.Packages);
        Assert.Equal((name, version, licenses), (package.Name, package.Version, string.Join(',', package.Licenses)));
        Assert.Equal($"pkg:gem/{name}@{version}", package.Purl);
    }

    [Fact]
    public async Task Gem_version_new_and_single_license_forms()
    {
        var text = "Gem::Specification.new do |spec|\n  spec.name = 'json'\n  spec.version = Gem::Version.new(\"2.6.3\")\n  spec.license = 'Ruby'\nend\n";
        var sink = await DetectorRun.BytesAsync(_detector, Encoding.UTF8.GetBytes(text), Specifications + "json-2.6.3.gemspec");
        var package = Assert.Single(sink.Packages);
        Assert.Equal(("json", "2.6.3", "Ruby"), (package.Name, package.Version, string.Join(',', package.Licenses)));
    }

    [Theory]
    [InlineData("Gem::Specification.new do |s|\n  s.name = name_from_somewhere\nend")]
    [InlineData("\u0000\u0001\u0002 binary")]
    public async Task Gemspec_without_literal_identity_is_a_problem(string text)
    {
        var sink = await DetectorRun.BytesAsync(_detector, Encoding.UTF8.GetBytes(text), Specifications + "x.gemspec");
        Assert.Empty(sink.Packages);
        Assert.Single(sink.Problems);
    }

    [Theory]
    [InlineData("var/lib/gems/3.1.0/specifications/rake-13.0.6.gemspec", true)]
    [InlineData("app/rake.gemspec", false)]
    [InlineData("var/lib/gems/3.1.0/specifications/default/json-2.6.1.gemspec", true)]
    public void Wants_installed_specifications(string path, bool wanted) =>
        Assert.Equal(wanted, _detector.Wants(new SupplyChainMesh.Analysis.Layers.LayerFile(path, 10, 0b110_100_100)));
}

using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Tests.Versions;

public class VersionSchemesTests
{
    [Theory]
    [InlineData(PurlType.Deb, "dpkg")]
    [InlineData(PurlType.Apk, "apk")]
    [InlineData(PurlType.Rpm, "rpm")]
    [InlineData(PurlType.Npm, "npm")]
    [InlineData(PurlType.PyPI, "pep440")]
    [InlineData(PurlType.Maven, "maven")]
    [InlineData(PurlType.NuGet, "nuget")]
    [InlineData(PurlType.Golang, "go")]
    [InlineData(PurlType.Cargo, "cargo")]
    [InlineData(PurlType.Gem, "rubygems")]
    [InlineData(PurlType.Composer, "composer")]
    public void Every_purl_type_has_a_scheme(string purlType, string scheme) =>
        Assert.Equal(scheme, VersionSchemes.RequireForPurlType(purlType).Name);

    [Theory]
    [InlineData("npm", "npm")]
    [InlineData("PyPI", "pep440")]
    [InlineData("Maven", "maven")]
    [InlineData("NuGet", "nuget")]
    [InlineData("Go", "go")]
    [InlineData("RubyGems", "rubygems")]
    [InlineData("crates.io", "cargo")]
    [InlineData("Packagist", "composer")]
    [InlineData("Debian:12", "dpkg")]
    [InlineData("Debian", "dpkg")]
    [InlineData("Ubuntu:22.04:LTS", "dpkg")]
    [InlineData("Alpine:v3.18", "apk")]
    [InlineData("Wolfi", "apk")]
    [InlineData("Red Hat:enterprise_linux:9::appstream", "rpm")]
    [InlineData("Rocky Linux:9", "rpm")]
    [InlineData("AlmaLinux:8", "rpm")]
    [InlineData("SUSE:Linux Enterprise Server 15 SP5", "rpm")]
    [InlineData("openSUSE:Tumbleweed", "rpm")]
    public void Every_OSV_ecosystem_we_match_has_a_scheme(string ecosystem, string scheme) =>
        Assert.Equal(scheme, VersionSchemes.RequireForOsvEcosystem(ecosystem).Name);

    [Fact]
    public void Unknown_names_are_reported()
    {
        Assert.Null(VersionSchemes.ForOsvEcosystem("Hackage"));
        Assert.Null(VersionSchemes.ForPurlType("hex"));
        var ex = Assert.Throws<NotSupportedException>(() => VersionSchemes.RequireForOsvEcosystem("Hackage"));
        Assert.Contains("Hackage", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Schemes_are_found_by_name_and_names_are_unique()
    {
        Assert.Equal(11, VersionSchemes.All.Count);
        Assert.Equal(VersionSchemes.All.Count, VersionSchemes.All.Select(s => s.Name).Distinct().Count());
        Assert.All(VersionSchemes.All, s => Assert.Same(s, VersionSchemes.ForName(s.Name)));
    }

    /// <summary>The real feeds name versions every scheme must read: check the OSV files' ecosystems and versions.</summary>
    [Fact]
    public void Reads_most_versions_named_in_the_real_OSV_feeds()
    {
        var feeds = SupplyChainMesh.Testing.RepositoryLayout.Feeds;
        var checkedCount = 0;
        var invalid = new List<string>();
        var records = Directory.EnumerateFiles(feeds, "*.osv.jsonl", SearchOption.AllDirectories)
            .SelectMany(file => File.ReadLines(file).Take(400));
        foreach (var record in records)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(record);
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object ||
                !doc.RootElement.TryGetProperty("affected", out var affected)) continue;
            foreach (var a in affected.EnumerateArray())
            {
                if (!a.TryGetProperty("package", out var package) || !package.TryGetProperty("ecosystem", out var eco)) continue;
                var scheme = VersionSchemes.ForOsvEcosystem(eco.GetString()!);
                if (scheme is null || !a.TryGetProperty("ranges", out var ranges)) continue;
                foreach (var range in ranges.EnumerateArray())
                {
                    if (range.GetProperty("type").GetString() == "GIT" || !range.TryGetProperty("events", out var events)) continue;
                    foreach (var e in events.EnumerateArray())
                    {
                        foreach (var p in e.EnumerateObject())
                        {
                            if (p.Value.ValueKind != System.Text.Json.JsonValueKind.String) continue;
                            var v = p.Value.GetString()!;
                            if (v == "0") continue;
                            checkedCount++;
                            if (!scheme.IsValid(v)) invalid.Add($"{eco.GetString()} {v}");
                        }
                    }
                }
            }
        }
        Assert.True(checkedCount > 100, $"expected the feed corpus to name many versions, found {checkedCount}");
        // Feeds carry a few typos; nearly all must be readable.
        Assert.True(invalid.Count * 100 <= checkedCount, $"{invalid.Count} of {checkedCount} unreadable: {string.Join(", ", invalid.Take(40))}");
    }
}

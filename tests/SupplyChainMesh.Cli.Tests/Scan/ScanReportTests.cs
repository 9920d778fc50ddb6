using System.Text.Json;

namespace SupplyChainMesh.Cli.Tests.Scan;

/// <summary>
/// The known facts of issue 4 through <c>scm scan --feeds</c> on the real test images and the real feed corpus, in every
/// machine-readable format: lodash 4.17.20 → CVE-2021-23337, minimist 1.2.5 → CVE-2021-44906, Newtonsoft.Json 12.0.1 →
/// GHSA-5crp-9r3c-p9vr (app-mixed); Debian 12 glibc 2.36-9+deb12u1 → CVE-2023-4911 with KEV and CVSS 7.8, log4j-core
/// 2.14.1 → CVE-2021-44228 (an image built from the real libc6 stanza, see TestData/bookworm-glibc-deb12u1).
/// </summary>
public class ScanReportTests(CliFixture cli) : IClassFixture<CliFixture>
{
    private static readonly (string Id, string Package, string Version, int Layer)[] AppMixedFacts =
    [
        ("CVE-2021-23337", "lodash", "4.17.20", 1),
        ("CVE-2021-44906", "minimist", "1.2.5", 1),
        ("GHSA-5crp-9r3c-p9vr", "Newtonsoft.Json", "12.0.1", 2),
    ];

    private static readonly string[] SarifLevels = ["error", "warning", "note"];

    private static IEnumerable<string> Ids(JsonElement finding) =>
        finding.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!).Prepend(finding.GetProperty("vulnerabilityId").GetString()!);

    [Fact]
    public async Task Json_reports_the_app_mixed_facts_per_package_and_layer()
    {
        var run = await cli.RunAsync("scan", CliFixture.Archive("app-mixed"), "--feeds", cli.Feeds, "--format", "json");
        Assert.Equal(0, run.ExitCode);
        using var json = run.Json();
        var image = json.RootElement.GetProperty("images")[0];
        var layers = TestImageLayers.Of("app-mixed");
        Assert.Equal(layers.Select(l => l.DiffId), image.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()));
        var findings = image.GetProperty("findings").EnumerateArray().ToList();
        foreach (var (id, package, version, layer) in AppMixedFacts)
        {
            var finding = Assert.Single(findings, f => Ids(f).Contains(id) && f.GetProperty("package").GetProperty("name").GetString() == package);
            Assert.Equal(version, finding.GetProperty("package").GetProperty("version").GetString());
            Assert.Equal(layer, finding.GetProperty("layerIndex").GetInt32());
            Assert.Equal(layers[layer].DiffId, finding.GetProperty("layerDigest").GetString());
            Assert.Equal("Fixed", finding.GetProperty("fixState").GetString());
        }
        var summary = image.GetProperty("summary");
        Assert.Equal(findings.Count, summary.GetProperty("total").GetInt32());
        Assert.Equal(findings.Count, summary.GetProperty("bySeverity").EnumerateObject().Sum(s => s.Value.GetInt32()));
        // Every layer's count adds up to the findings, attributed to the layer that added the package.
        Assert.Equal(findings.Count, image.GetProperty("layers").EnumerateArray().Sum(l => l.GetProperty("findings").GetInt32()));
    }

    [Fact]
    public async Task Json_reports_glibc_looney_tunables_with_kev_and_cvss_and_log4shell()
    {
        var run = await cli.RunAsync("scan", cli.OldGlibcImage, "--feeds", cli.Feeds, "--format", "json");
        Assert.Equal(0, run.ExitCode);
        using var json = run.Json();
        var findings = json.RootElement.GetProperty("images")[0].GetProperty("findings").EnumerateArray().ToList();
        var looney = Assert.Single(findings, f => f.GetProperty("vulnerabilityId").GetString() == "CVE-2023-4911");
        Assert.Equal("libc6", looney.GetProperty("package").GetProperty("name").GetString());
        Assert.Equal("glibc", looney.GetProperty("package").GetProperty("sourceName").GetString());
        Assert.True(looney.GetProperty("knownExploited").GetBoolean());
        Assert.Equal(7.8, looney.GetProperty("cvss").GetProperty("score").GetDouble());
        Assert.Equal("2.36-9+deb12u3", looney.GetProperty("fixedVersion").GetString());
        Assert.Equal("var/lib/dpkg/status", looney.GetProperty("path").GetString());
        var log4shell = Assert.Single(findings, f => f.GetProperty("vulnerabilityId").GetString() == "CVE-2021-44228");
        Assert.Equal("log4j-core", log4shell.GetProperty("package").GetProperty("name").GetString());
        Assert.Equal("CRITICAL", log4shell.GetProperty("severity").GetString());
        Assert.True(log4shell.GetProperty("knownExploited").GetBoolean());
        Assert.Equal("app/lib/log4j-core-2.14.1.jar", log4shell.GetProperty("path").GetString());
    }

    [Fact]
    public async Task CycloneDx_of_app_mixed_is_a_valid_bom_with_layers_and_vulnerabilities()
    {
        var run = await cli.RunAsync("scan", TestImageLayers.Oci("app-mixed"), "--feeds", cli.Feeds, "--format", "cyclonedx");
        Assert.Equal(0, run.ExitCode);
        using var json = run.Json();
        var bom = json.RootElement;
        CycloneDxStructure.Validate(bom);

        var image = bom.GetProperty("metadata").GetProperty("component");
        Assert.Equal("container", image.GetProperty("type").GetString());
        var manifestDigest = File.ReadLines(Path.Combine(Testing.RepositoryLayout.TestImages, "images.tsv")).Single(l => l.StartsWith("app-mixed\t", StringComparison.Ordinal)).Split('\t')[4];
        Assert.Equal(manifestDigest, image.GetProperty("version").GetString());

        var layers = TestImageLayers.Of("app-mixed");
        var components = bom.GetProperty("components").EnumerateArray().ToList();
        // Ground truth of the build (expected/app-mixed/summary.txt): dpkg=88 npm_installed=69 nuget=2.
        Assert.Equal(88, components.Count(c => Purl(c).StartsWith("pkg:deb/", StringComparison.Ordinal)));
        Assert.Equal(69, components.Count(c => Purl(c).StartsWith("pkg:npm/", StringComparison.Ordinal)));
        Assert.Equal(2, components.Count(c => Purl(c).StartsWith("pkg:nuget/", StringComparison.Ordinal)));
        var vulnerabilities = bom.GetProperty("vulnerabilities").EnumerateArray().ToList();
        foreach (var (id, package, version, layer) in AppMixedFacts)
        {
            var component = Assert.Single(components, c => c.GetProperty("name").GetString() == package);
            Assert.Equal(version, component.GetProperty("version").GetString());
            Assert.Equal(layers[layer].Digest, Property(component, "supplychainmesh:layer:digest"));
            Assert.Equal(layer.ToString(System.Globalization.CultureInfo.InvariantCulture), Property(component, "supplychainmesh:layer:index"));
            Assert.NotNull(Property(component, "supplychainmesh:package:path"));
            var vulnerability = Assert.Single(vulnerabilities, v => v.GetProperty("id").GetString() == id
                || (v.TryGetProperty("references", out var refs) && refs.EnumerateArray().Any(r => r.GetProperty("id").GetString() == id)));
            Assert.Contains(vulnerability.GetProperty("affects").EnumerateArray(), a => a.GetProperty("ref").GetString() == component.GetProperty("bom-ref").GetString());
            Assert.StartsWith("Upgrade: ", vulnerability.GetProperty("recommendation").GetString(), StringComparison.Ordinal);
            Assert.Contains(vulnerability.GetProperty("ratings").EnumerateArray(), r => r.TryGetProperty("vector", out _));
        }
        // lodash is licensed MIT per its package.json.
        var lodash = components.Single(c => c.GetProperty("name").GetString() == "lodash");
        Assert.Equal("MIT", lodash.GetProperty("licenses")[0].GetProperty("license").GetProperty("name").GetString());
    }

    [Fact]
    public async Task CycloneDx_rates_glibc_with_nvd_cvss_and_marks_kev()
    {
        var run = await cli.RunAsync("scan", cli.OldGlibcImage, "--feeds", cli.Feeds, "--format", "cyclonedx");
        Assert.Equal(0, run.ExitCode);
        using var json = run.Json();
        CycloneDxStructure.Validate(json.RootElement);
        var vulnerabilities = json.RootElement.GetProperty("vulnerabilities").EnumerateArray().ToList();
        var looney = Assert.Single(vulnerabilities, v => v.GetProperty("id").GetString() == "CVE-2023-4911");
        var cvss = Assert.Single(looney.GetProperty("ratings").EnumerateArray(), r => r.TryGetProperty("score", out _));
        Assert.Equal(7.8, cvss.GetProperty("score").GetDouble());
        Assert.Equal("CVSSv31", cvss.GetProperty("method").GetString());
        Assert.Equal("high", cvss.GetProperty("severity").GetString());
        Assert.Equal("true", Property(looney, "supplychainmesh:vulnerability:knownExploited"));
        Assert.Contains("2.36-9+deb12u3", looney.GetProperty("recommendation").GetString(), StringComparison.Ordinal);
        Assert.Contains(vulnerabilities, v => v.GetProperty("id").GetString() == "CVE-2021-44228");
    }

    [Fact]
    public async Task Sarif_has_one_rule_per_vulnerability_and_one_result_per_package()
    {
        var run = await cli.RunAsync("scan", TestImageLayers.Oci("app-mixed"), "--feeds", cli.Feeds, "--format", "sarif");
        Assert.Equal(0, run.ExitCode);
        using var json = run.Json();
        Assert.Equal("2.1.0", json.RootElement.GetProperty("version").GetString());
        var sarifRun = json.RootElement.GetProperty("runs")[0];
        var rules = sarifRun.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToList();
        var ruleIds = rules.Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ruleIds.Count, ruleIds.Distinct(StringComparer.Ordinal).Count());
        var results = sarifRun.GetProperty("results").EnumerateArray().ToList();
        var keys = results.Select(r => (r.GetProperty("ruleId").GetString(), r.GetProperty("properties").GetProperty("purl").GetString(),
            r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString())).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        foreach (var result in results)
        {
            var index = result.GetProperty("ruleIndex").GetInt32();
            Assert.Equal(ruleIds[index], result.GetProperty("ruleId").GetString());
            Assert.Contains(result.GetProperty("level").GetString(), SarifLevels);
        }
        // The app-mixed facts: rule ids are the primary ids (CVE first), located at the package's file in the image.
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "CVE-2021-44906"
            && Uri(r) == "app/node_modules/minimist/package.json" && r.GetProperty("level").GetString() == "error");
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == "CVE-2021-23337" && Uri(r) == "app/node_modules/lodash/package.json");
        var newtonsoft = Assert.Single(results, r => r.GetProperty("properties").GetProperty("purl").GetString()!.StartsWith("pkg:nuget/Newtonsoft.Json@12.0.1", StringComparison.Ordinal)
            && r.GetProperty("message").GetProperty("text").GetString()!.Contains("GHSA-5crp-9r3c-p9vr", StringComparison.Ordinal));
        Assert.EndsWith(".deps.json", Uri(newtonsoft), StringComparison.Ordinal);
        var security = rules.Single(r => r.GetProperty("id").GetString() == "CVE-2021-44906").GetProperty("properties").GetProperty("security-severity").GetString();
        Assert.Equal("9.8", security);
    }

    [Fact]
    public async Task Sarif_reports_glibc_and_log4j_as_errors()
    {
        var run = await cli.RunAsync("scan", cli.OldGlibcImage, "--feeds", cli.Feeds, "--format", "sarif");
        using var json = run.Json();
        var results = json.RootElement.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Equal("error", Assert.Single(results, r => r.GetProperty("ruleId").GetString() == "CVE-2023-4911").GetProperty("level").GetString());
        Assert.Equal("error", Assert.Single(results, r => r.GetProperty("ruleId").GetString() == "CVE-2021-44228").GetProperty("level").GetString());
    }

    [Fact]
    public async Task Table_lists_findings_with_kev_and_a_summary_line()
    {
        var run = await cli.RunAsync("scan", cli.OldGlibcImage, "--feeds", cli.Feeds);
        Assert.Equal(0, run.ExitCode);
        var line = Assert.Single(run.Stdout.Split('\n'), l => l.Contains("CVE-2023-4911", StringComparison.Ordinal));
        Assert.Contains("libc6", line, StringComparison.Ordinal);
        Assert.Contains("2.36-9+deb12u3", line, StringComparison.Ordinal);
        Assert.Contains("yes", line, StringComparison.Ordinal);
        Assert.Matches(@"Total: \d+ \(CRITICAL: \d+, HIGH: \d+", run.Stdout);
        Assert.Contains("Vulnerabilities", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Severity_and_ignore_unfixed_filter_what_is_reported()
    {
        var all = await cli.RunAsync("scan", cli.OldGlibcImage, "--feeds", cli.Feeds, "--format", "json");
        var filtered = await cli.RunAsync("scan", cli.OldGlibcImage, "--feeds", cli.Feeds, "--format", "json", "--severity", "HIGH,CRITICAL", "--ignore-unfixed");
        using var allJson = all.Json();
        using var filteredJson = filtered.Json();
        var everything = allJson.RootElement.GetProperty("images")[0].GetProperty("findings").EnumerateArray().ToList();
        var kept = filteredJson.RootElement.GetProperty("images")[0].GetProperty("findings").EnumerateArray().ToList();
        var expected = everything.Where(f => f.GetProperty("severity").GetString() is "HIGH" or "CRITICAL" && f.GetProperty("fixState").GetString() == "Fixed")
            .Select(f => f.GetProperty("vulnerabilityId").GetString()).Order(StringComparer.Ordinal).ToList();
        Assert.True(expected.Count < everything.Count);
        Assert.Equal(expected, kept.Select(f => f.GetProperty("vulnerabilityId").GetString()).Order(StringComparer.Ordinal));
        Assert.Contains("CVE-2023-4911", expected);
    }

    private static string Purl(JsonElement component) => component.TryGetProperty("purl", out var purl) ? purl.GetString()! : "";

    private static string? Property(JsonElement owner, string name) =>
        owner.GetProperty("properties").EnumerateArray().Where(p => p.GetProperty("name").GetString() == name)
            .Select(p => p.GetProperty("value").GetString()).SingleOrDefault();

    private static string Uri(JsonElement result) =>
        result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!;
}

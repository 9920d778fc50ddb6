using System.Globalization;
using System.Text.Json;
using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Cli.Scanning;

namespace SupplyChainMesh.Cli.Reports;

/// <summary>
/// <c>--format sarif</c>: SARIF 2.1.0 for GitHub code scanning. One rule per vulnerability id, one result per
/// (vulnerability, package); the level follows the severity (critical/high: error, medium: warning, else note) and the
/// rule's <c>security-severity</c> is the CVSS score (or the band's middle when only a word is known), which is what
/// GitHub sorts by. The location is the file in the image the package was read from; the layer is in the message.
/// Without feeds the run has no results (an inventory is not a finding).
/// </summary>
internal static class SarifWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static Task WriteAsync(TextWriter output, IReadOnlyList<ScanResult> results) => JsonOutput.WriteAsync(output, json =>
    {
        var findings = results.SelectMany(r => (r.Findings ?? []).Select(f => (Result: r, Finding: f))).ToList();
        var rules = findings.GroupBy(f => f.Finding.Finding.VulnerabilityId, StringComparer.Ordinal).Select(g => g.First().Finding.Finding).ToList();
        var ruleIndex = rules.Select((r, i) => (r.VulnerabilityId, i)).ToDictionary(x => x.VulnerabilityId, x => x.i, StringComparer.Ordinal);

        json.WriteStartObject();
        json.WriteString("$schema", SchemaUri);
        json.WriteString("version", "2.1.0");
        json.WriteStartArray("runs");
        json.WriteStartObject();

        json.WriteStartObject("tool");
        json.WriteStartObject("driver");
        json.WriteString("name", "scm");
        json.WriteString("fullName", "SupplyChainMesh scanner");
        json.WriteString("version", ReportFormats.ToolVersion);
        json.WriteString("informationUri", "https://github.com/supplychainmesh/supplychainmesh");
        json.WriteStartArray("rules");
        foreach (var rule in rules) WriteRule(json, rule);
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("originalUriBaseIds");
        json.WriteStartObject("ROOTPATH");
        json.WriteString("uri", "file:///");
        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartArray("results");
        foreach (var (result, f) in findings) WriteResult(json, result, f, ruleIndex[f.Finding.VulnerabilityId]);
        json.WriteEndArray();

        if (results.Count > 0)
        {
            json.WriteStartObject("properties");
            json.WriteString("imageName", results[0].Reference.ToString());
            json.WriteString("manifestDigest", results[0].Image.Manifest.Digest);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
    });

    public static string Level(Severity severity) => severity switch
    {
        Severity.Critical or Severity.High => "error",
        Severity.Medium => "warning",
        _ => "note",
    };

    /// <summary>GitHub reads <c>security-severity</c> as a CVSS-like number (over 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, under 4 low).</summary>
    public static double SecurityScore(Analysis.Matching.Finding finding) =>
        finding.Cvss?.Score is { } score && finding.Cvss.Rating == finding.Severity
            ? score
            : finding.Severity switch
            {
                Severity.Critical => 9.5,
                Severity.High => 8.0,
                Severity.Medium => 5.5,
                Severity.Low => 2.0,
                _ => 0.0,
            };

    private static void WriteRule(Utf8JsonWriter json, Analysis.Matching.Finding rule)
    {
        var text = rule.Summary ?? rule.VulnerabilityId;
        var url = VulnerabilityLinks.Url(rule.VulnerabilityId);
        json.WriteStartObject();
        json.WriteString("id", rule.VulnerabilityId);
        json.WriteString("name", "OsPackageVulnerability");
        json.WriteStartObject("shortDescription");
        json.WriteString("text", text);
        json.WriteEndObject();
        json.WriteStartObject("fullDescription");
        json.WriteString("text", text);
        json.WriteEndObject();
        json.WriteStartObject("defaultConfiguration");
        json.WriteString("level", Level(rule.Severity));
        json.WriteEndObject();
        json.WriteString("helpUri", url);
        json.WriteStartObject("help");
        json.WriteString("text", $"Vulnerability {rule.VulnerabilityId}\nSeverity: {VulnerabilityLinks.Word(rule.Severity)}\n{text}\n{url}");
        json.WriteString("markdown", $"**Vulnerability {rule.VulnerabilityId}**\n\n| Severity | Known exploited | Link |\n| --- | --- | --- |\n| {VulnerabilityLinks.Word(rule.Severity)} | {(rule.KnownExploited ? "yes" : "no")} | [{rule.VulnerabilityId}]({url}) |\n\n{text}");
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteStartArray("tags");
        json.WriteStringValue("vulnerability");
        json.WriteStringValue("security");
        json.WriteStringValue(VulnerabilityLinks.Word(rule.Severity));
        json.WriteEndArray();
        json.WriteString("precision", "very-high");
        json.WriteString("security-severity", SecurityScore(rule).ToString("0.0", CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteResult(Utf8JsonWriter json, ScanResult result, ImageFinding f, int ruleIndex)
    {
        var finding = f.Finding;
        var package = f.Package.Package;
        json.WriteStartObject();
        json.WriteString("ruleId", finding.VulnerabilityId);
        json.WriteNumber("ruleIndex", ruleIndex);
        json.WriteString("level", Level(finding.Severity));
        json.WriteStartObject("message");
        json.WriteString("text",
            $"Package: {package.Name}\nInstalled Version: {finding.InstalledVersion}\nVulnerability {finding.VulnerabilityId}\n" +
            (finding.Aliases.Count > 0 ? $"Aliases: {string.Join(", ", finding.Aliases)}\n" : "") +
            $"Severity: {VulnerabilityLinks.Word(finding.Severity)}\nFixed Version: {finding.FixedVersion ?? "(not fixed)"}\n" +
            $"Known exploited: {(finding.KnownExploited ? "yes" : "no")}\nLayer: {f.LayerIndex} {f.LayerDigest}\nLink: [{finding.VulnerabilityId}]({VulnerabilityLinks.Url(finding.VulnerabilityId)})");
        json.WriteEndObject();
        json.WriteStartArray("locations");
        json.WriteStartObject();
        json.WriteStartObject("physicalLocation");
        json.WriteStartObject("artifactLocation");
        json.WriteString("uri", Uri.EscapeDataString(f.Path).Replace("%2F", "/", StringComparison.Ordinal));
        json.WriteString("uriBaseId", "ROOTPATH");
        json.WriteEndObject();
        json.WriteStartObject("region");
        json.WriteNumber("startLine", 1);
        json.WriteNumber("startColumn", 1);
        json.WriteNumber("endLine", 1);
        json.WriteNumber("endColumn", 1);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("message");
        json.WriteString("text", $"{result.Reference}: {package.Purl} (layer {f.LayerIndex})");
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteStartObject("partialFingerprints");
        json.WriteString("packagePurl/v1", $"{finding.VulnerabilityId}|{package.Purl}|{f.Path}");
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteString("purl", package.Purl);
        json.WriteString("layerDigest", f.LayerDigest);
        json.WriteNumber("layerIndex", f.LayerIndex);
        json.WriteBoolean("knownExploited", finding.KnownExploited);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}

using System.Globalization;
using System.Text.Json;
using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Cli.Scanning;

namespace SupplyChainMesh.Cli.Reports;

/// <summary>
/// <c>--format json</c>, our own stable shape: per resolved image its manifest, the inventory (exactly the
/// <see cref="AnalysisJson"/> of the engine), a per-layer summary and, with feeds, the findings per package and layer and
/// a summary by severity. New fields may be added; existing ones keep their name and meaning.
/// </summary>
internal static class JsonReportWriter
{
    public static Task WriteAsync(TextWriter output, IReadOnlyList<ScanResult> results) => JsonOutput.WriteAsync(output, json =>
    {
        json.WriteStartObject();
        json.WriteString("image", results.Count > 0 ? results[0].Reference.ToString() : null);
        json.WriteStartArray("images");
        foreach (var r in results) WriteImage(json, r);
        json.WriteEndArray();
        json.WriteEndObject();
    });

    private static void WriteImage(Utf8JsonWriter json, ScanResult r)
    {
        json.WriteStartObject();
        json.WriteString("manifestDigest", r.Image.Manifest.Digest);
        json.WriteString("mediaType", r.Image.Manifest.MediaType);
        if (r.Image.Platform is { } p) json.WriteString("platform", p.ToString());
        json.WritePropertyName("inventory");
        json.WriteRawValue(AnalysisJson.Serialize(r.Inventory));

        json.WriteStartArray("layers");
        foreach (var layer in r.Inventory.Layers)
        {
            json.WriteStartObject();
            json.WriteNumber("index", layer.Index);
            json.WriteString("digest", layer.Digest);
            json.WriteNumber("packages", layer.PackagesAdded);
            if (r.Findings is { } layerFindings) json.WriteNumber("findings", layerFindings.Count(f => f.LayerIndex == layer.Index));
            json.WriteEndObject();
        }
        json.WriteEndArray();

        if (r.Findings is { } findings)
        {
            json.WriteStartArray("findings");
            foreach (var f in findings) WriteFinding(json, f);
            json.WriteEndArray();
            WriteSummary(json, FindingSummary.Of(findings));
        }
        json.WriteEndObject();
    }

    private static void WriteFinding(Utf8JsonWriter json, ImageFinding f)
    {
        var finding = f.Finding;
        var package = f.Package.Package;
        json.WriteStartObject();
        json.WriteString("vulnerabilityId", finding.VulnerabilityId);
        json.WriteStartArray("aliases");
        foreach (var alias in finding.Aliases) json.WriteStringValue(alias);
        json.WriteEndArray();
        json.WriteString("severity", VulnerabilityLinks.Word(finding.Severity));
        json.WriteStringIfNotNull("severitySource", finding.SeveritySource);
        if (finding.Cvss is { } cvss) WriteCvss(json, cvss);
        json.WriteStartObject("package");
        json.WriteString("type", package.Type);
        json.WriteString("name", package.Name);
        json.WriteString("version", package.Version);
        json.WriteString("purl", package.Purl);
        json.WriteStringIfNotNull("sourceName", package.SourceName);
        json.WriteStringIfNotNull("sourceVersion", package.SourceVersion);
        json.WriteEndObject();
        json.WriteString("installedVersion", finding.InstalledVersion);
        json.WriteString("ecosystem", finding.Ecosystem);
        json.WriteString("fixState", finding.FixState.ToString());
        json.WriteStringIfNotNull("fixedVersion", finding.FixedVersion);
        json.WriteBoolean("knownExploited", finding.KnownExploited);
        if (finding.KevDueDate is { } due) json.WriteString("kevDueDate", due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (finding.Epss is { } epss) json.WriteNumber("epss", epss);
        json.WriteNumber("layerIndex", f.LayerIndex);
        json.WriteString("layerDigest", f.LayerDigest);
        json.WriteString("path", f.Path);
        json.WriteStringIfNotNull("summary", finding.Summary);
        json.WriteString("url", VulnerabilityLinks.Url(finding.VulnerabilityId));
        json.WriteEndObject();
    }

    private static void WriteCvss(Utf8JsonWriter json, SeverityScore cvss)
    {
        json.WriteStartObject("cvss");
        json.WriteString("version", cvss.Kind.ToString());
        json.WriteString("vector", cvss.Vector);
        if (cvss.Score is { } score) json.WriteNumber("score", score);
        json.WriteString("source", cvss.Source);
        json.WriteEndObject();
    }

    private static void WriteSummary(Utf8JsonWriter json, FindingSummary s)
    {
        json.WriteStartObject("summary");
        json.WriteNumber("total", s.Total);
        json.WriteStartObject("bySeverity");
        foreach (var (severity, count) in s.BySeverity) json.WriteNumber(VulnerabilityLinks.Word(severity), count);
        json.WriteEndObject();
        json.WriteNumber("knownExploited", s.KnownExploited);
        json.WriteNumber("fixable", s.Fixable);
        json.WriteEndObject();
    }
}

using System.Globalization;
using System.Text.Json;
using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Cli.Scanning;
using SupplyChainMesh.Oci.References;

namespace SupplyChainMesh.Cli.Reports;

/// <summary>
/// <c>--format cyclonedx</c>: a CycloneDX 1.5 JSON BOM per run. <c>metadata.component</c> is the image (type
/// <c>container</c>, version = manifest digest, an <c>pkg:oci</c> purl); every package is a <c>library</c> with its purl,
/// licences and where it came from as <c>supplychainmesh:*</c> properties (layer digest and index, path, detector,
/// source package); with feeds, one <c>vulnerabilities</c> entry per vulnerability id whose <c>affects</c> lists every
/// package it was found in. With several platforms of an index, the first is the subject and every image's packages are
/// listed, each with its platform property.
/// </summary>
internal static class CycloneDxWriter
{
    public const string SpecVersion = "1.5";
    public const string PropertyPrefix = "supplychainmesh:";

    public static Task WriteAsync(TextWriter output, IReadOnlyList<ScanResult> results) => JsonOutput.WriteAsync(output, json =>
    {
        var refs = new BomRefs();
        var packageRefs = new Dictionary<ImagePackage, string>(ReferenceEqualityComparer.Instance);
        json.WriteStartObject();
        json.WriteString("$schema", "http://cyclonedx.org/schema/bom-1.5.schema.json");
        json.WriteString("bomFormat", "CycloneDX");
        json.WriteString("specVersion", SpecVersion);
        json.WriteString("serialNumber", $"urn:uuid:{Guid.NewGuid():D}");
        json.WriteNumber("version", 1);

        json.WriteStartObject("metadata");
        json.WriteString("timestamp", DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        json.WriteStartObject("tools");
        json.WriteStartArray("components");
        json.WriteStartObject();
        json.WriteString("type", "application");
        json.WriteString("group", "supplychainmesh");
        json.WriteString("name", "scm");
        json.WriteString("version", ReportFormats.ToolVersion);
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteEndObject();
        var imageRef = results.Count > 0 ? WriteImageComponent(json, "component", results[0], refs) : null;
        json.WriteEndObject();

        json.WriteStartArray("components");
        foreach (var result in results)
        {
            if (result.Inventory.Distribution is { } distro)
            {
                json.WriteStartObject();
                json.WriteString("bom-ref", refs.Claim($"os:{distro.Id}@{distro.VersionId}"));
                json.WriteString("type", "operating-system");
                json.WriteString("name", distro.Id);
                json.WriteStringIfNotNull("version", distro.VersionId);
                json.WriteEndObject();
            }
            foreach (var package in result.Inventory.Packages)
            {
                var bomRef = refs.Claim(package.Package.Purl);
                packageRefs[package] = bomRef;
                WritePackage(json, bomRef, package, result);
            }
        }
        json.WriteEndArray();

        if (imageRef is not null)
        {
            json.WriteStartArray("dependencies");
            json.WriteStartObject();
            json.WriteString("ref", imageRef);
            json.WriteStartArray("dependsOn");
            foreach (var bomRef in packageRefs.Values.Distinct(StringComparer.Ordinal)) json.WriteStringValue(bomRef);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        if (results.Any(r => r.Findings is not null))
        {
            json.WriteStartArray("vulnerabilities");
            var all = results.SelectMany(r => r.Findings ?? []);
            foreach (var group in all.GroupBy(f => f.Finding.VulnerabilityId, StringComparer.Ordinal))
                WriteVulnerability(json, refs.Claim($"vuln:{group.Key}"), [.. group], packageRefs);
            json.WriteEndArray();
        }
        json.WriteEndObject();
    });

    private static string WriteImageComponent(Utf8JsonWriter json, string property, ScanResult result, BomRefs refs)
    {
        var digest = result.Image.Manifest.Digest;
        var name = ImageName(result.Reference);
        var purl = $"pkg:oci/{Uri.EscapeDataString(name.Split('/')[^1])}@{Uri.EscapeDataString(digest)}"
            + (result.Reference.Transport == ImageTransport.Registry ? $"?repository_url={Uri.EscapeDataString(name)}" : "");
        var bomRef = refs.Claim(purl);
        json.WriteStartObject(property);
        json.WriteString("bom-ref", bomRef);
        json.WriteString("type", "container");
        json.WriteString("name", name);
        json.WriteString("version", digest);
        json.WriteString("purl", purl);
        json.WriteStartArray("properties");
        Property(json, "image:reference", result.Reference.ToString());
        Property(json, "image:manifestMediaType", result.Image.Manifest.MediaType);
        if (result.Image.Platform is { } platform) Property(json, "image:platform", platform.ToString());
        foreach (var layer in result.Inventory.Layers) Property(json, $"image:layer:{layer.Index}", layer.Digest);
        json.WriteEndArray();
        json.WriteEndObject();
        return bomRef;
    }

    private static string ImageName(ImageReference reference) => reference.Transport switch
    {
        ImageTransport.Registry => reference.Name!,
        _ => reference.Tag ?? Path.GetFileNameWithoutExtension(reference.Path ?? "image"),
    };

    private static void WritePackage(Utf8JsonWriter json, string bomRef, ImagePackage imagePackage, ScanResult result)
    {
        var p = imagePackage.Package;
        json.WriteStartObject();
        json.WriteString("bom-ref", bomRef);
        json.WriteString("type", "library");
        if (p.Namespace is { Length: > 0 } group && !PurlType.IsOperatingSystem(p.Type)) json.WriteString("group", group);
        json.WriteString("name", p.Name);
        json.WriteString("version", p.Version);
        json.WriteString("purl", p.Purl);
        if (p.Licenses.Count > 0)
        {
            json.WriteStartArray("licenses");
            foreach (var license in p.Licenses.Distinct(StringComparer.Ordinal))
            {
                // Free text or an SPDX id: "name" takes both; "id" would have to be on SPDX's list to validate.
                json.WriteStartObject();
                json.WriteStartObject("license");
                json.WriteString("name", license);
                json.WriteEndObject();
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        json.WriteStartArray("properties");
        Property(json, "layer:digest", imagePackage.LayerDigest);
        Property(json, "layer:index", imagePackage.LayerIndex.ToString(CultureInfo.InvariantCulture));
        Property(json, "package:path", p.Path);
        Property(json, "package:detector", p.Detector);
        if (p.SourceName is { } sourceName) Property(json, "package:sourceName", sourceName);
        if (p.SourceVersion is { } sourceVersion) Property(json, "package:sourceVersion", sourceVersion);
        if (p.Arch is { } arch) Property(json, "package:arch", arch);
        if (result.Image.Platform is { } platform) Property(json, "image:platform", platform.ToString());
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteVulnerability(Utf8JsonWriter json, string bomRef, List<ImageFinding> findings, Dictionary<ImagePackage, string> packageRefs)
    {
        var first = findings[0].Finding;
        json.WriteStartObject();
        json.WriteString("bom-ref", bomRef);
        json.WriteString("id", first.VulnerabilityId);
        WriteSource(json, first.VulnerabilityId);

        var aliases = findings.SelectMany(f => f.Finding.Aliases).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (aliases.Count > 0)
        {
            json.WriteStartArray("references");
            foreach (var alias in aliases)
            {
                json.WriteStartObject();
                json.WriteString("id", alias);
                WriteSource(json, alias);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }

        json.WriteStartArray("ratings");
        foreach (var f in findings.DistinctBy(f => (f.Finding.SeveritySource, f.Finding.Severity, f.Finding.Cvss?.Vector)))
        {
            var finding = f.Finding;
            if (finding.Cvss is { } cvss)
            {
                json.WriteStartObject();
                json.WriteStartObject("source");
                json.WriteString("name", cvss.Source);
                json.WriteEndObject();
                if (cvss.Score is { } score) json.WriteNumber("score", score);
                json.WriteString("severity", SeverityWord(cvss.Rating));
                json.WriteString("method", Method(cvss.Kind));
                json.WriteString("vector", cvss.Vector);
                json.WriteEndObject();
            }
            if (finding.SeveritySource is { } rater && (finding.Cvss is null || !rater.Equals("nvd", StringComparison.Ordinal)))
            {
                // The rating the finding's severity comes from (Debian urgency, GitHub's database severity).
                json.WriteStartObject();
                json.WriteStartObject("source");
                json.WriteString("name", rater);
                json.WriteEndObject();
                json.WriteString("severity", SeverityWord(finding.Severity));
                json.WriteString("method", "other");
                if (finding.EcosystemSeverity is { } urgency) json.WriteString("justification", urgency);
                json.WriteEndObject();
            }
        }
        json.WriteEndArray();

        json.WriteStringIfNotNull("description", first.Summary);
        var fixes = findings.Where(f => f.Finding.FixedVersion is not null)
            .Select(f => $"{f.Package.Package.Name} {f.Finding.InstalledVersion} -> {f.Finding.FixedVersion}")
            .Distinct(StringComparer.Ordinal).ToList();
        json.WriteString("recommendation", fixes.Count > 0 ? "Upgrade: " + string.Join("; ", fixes) : "No fixed version is available yet.");

        json.WriteStartArray("advisories");
        foreach (var id in aliases.Prepend(first.VulnerabilityId))
        {
            json.WriteStartObject();
            json.WriteString("title", id);
            json.WriteString("url", VulnerabilityLinks.Url(id));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (first.Published is { } published) json.WriteString("published", published.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));

        json.WriteStartArray("affects");
        foreach (var f in findings)
        {
            json.WriteStartObject();
            json.WriteString("ref", packageRefs[f.Package]);
            json.WriteStartArray("versions");
            json.WriteStartObject();
            json.WriteString("version", f.Package.Package.Version);
            json.WriteString("status", "affected");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("properties");
        Property(json, "vulnerability:severity", VulnerabilityLinks.Word(first.Severity));
        Property(json, "vulnerability:knownExploited", first.KnownExploited ? "true" : "false");
        if (first.KevDueDate is { } due) Property(json, "vulnerability:kevDueDate", due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (first.Epss is { } epss) Property(json, "vulnerability:epss", epss.ToString(CultureInfo.InvariantCulture));
        Property(json, "vulnerability:fixState", first.FixState.ToString());
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteSource(Utf8JsonWriter json, string id)
    {
        json.WriteStartObject("source");
        json.WriteString("name", VulnerabilityLinks.Source(id));
        json.WriteString("url", VulnerabilityLinks.Url(id));
        json.WriteEndObject();
    }

    private static void Property(Utf8JsonWriter json, string name, string value)
    {
        json.WriteStartObject();
        json.WriteString("name", PropertyPrefix + name);
        json.WriteString("value", value);
        json.WriteEndObject();
    }

    /// <summary>CycloneDX 1.5 <c>severity</c> enum; Debian's "unimportant" (Negligible) is <c>info</c>.</summary>
    public static string SeverityWord(Severity severity) => severity switch
    {
        Severity.Critical => "critical",
        Severity.High => "high",
        Severity.Medium => "medium",
        Severity.Low => "low",
        Severity.Negligible => "info",
        _ => "unknown",
    };

    /// <summary>CycloneDX 1.5 <c>scoreMethod</c> enum.</summary>
    public static string Method(CvssKind kind) => kind switch
    {
        CvssKind.V2 => "CVSSv2",
        CvssKind.V30 => "CVSSv3",
        CvssKind.V31 => "CVSSv31",
        _ => "CVSSv4",
    };

    /// <summary>bom-refs must be unique in a BOM: the same purl found at two paths gets <c>#2</c>, <c>#3</c>...</summary>
    private sealed class BomRefs
    {
        private readonly Dictionary<string, int> _seen = new(StringComparer.Ordinal);

        public string Claim(string wanted)
        {
            if (!_seen.TryGetValue(wanted, out var count))
            {
                _seen[wanted] = 1;
                return wanted;
            }
            _seen[wanted] = ++count;
            return $"{wanted}#{count}";
        }
    }
}

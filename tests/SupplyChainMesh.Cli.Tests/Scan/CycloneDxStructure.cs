using System.Text.Json;
using System.Text.RegularExpressions;

namespace SupplyChainMesh.Cli.Tests.Scan;

/// <summary>
/// The rules of the CycloneDX 1.5 JSON schema that our BOMs touch, checked without the schema file itself (neither
/// ../shared nor any served package carries it): required fields, enum values, the serial number pattern, unique
/// bom-refs, and every ref (dependencies, affects) pointing at a bom-ref of the document.
/// </summary>
internal static partial class CycloneDxStructure
{
    private static readonly HashSet<string> TopLevel = ["$schema", "bomFormat", "specVersion", "serialNumber", "version", "metadata", "components",
        "services", "externalReferences", "dependencies", "compositions", "properties", "vulnerabilities", "annotations", "formulation", "signature"];

    private static readonly HashSet<string> ComponentTypes = ["application", "framework", "library", "container", "platform", "operating-system",
        "device", "device-driver", "firmware", "file", "machine-learning-model", "data"];

    private static readonly HashSet<string> Severities = ["critical", "high", "medium", "low", "info", "none", "unknown"];

    private static readonly HashSet<string> Methods = ["CVSSv2", "CVSSv3", "CVSSv31", "CVSSv4", "OWASP", "SSVC", "other"];

    private static readonly HashSet<string> AffectStatus = ["affected", "unaffected", "unknown"];

    public static void Validate(JsonElement bom)
    {
        foreach (var property in bom.EnumerateObject()) Assert.Contains(property.Name, TopLevel);
        Assert.Equal("CycloneDX", bom.GetProperty("bomFormat").GetString());
        Assert.Equal("1.5", bom.GetProperty("specVersion").GetString());
        Assert.Matches(SerialNumber(), bom.GetProperty("serialNumber").GetString());
        Assert.True(bom.GetProperty("version").GetInt32() >= 1);

        var refs = new HashSet<string>(StringComparer.Ordinal);
        var metadata = bom.GetProperty("metadata");
        Assert.True(DateTimeOffset.TryParse(metadata.GetProperty("timestamp").GetString(), out _));
        ValidateComponent(metadata.GetProperty("component"), refs);
        foreach (var component in bom.GetProperty("components").EnumerateArray()) ValidateComponent(component, refs);

        if (bom.TryGetProperty("dependencies", out var dependencies))
        {
            foreach (var dependency in dependencies.EnumerateArray())
            {
                Assert.Contains(dependency.GetProperty("ref").GetString()!, refs);
                foreach (var on in dependency.GetProperty("dependsOn").EnumerateArray()) Assert.Contains(on.GetString()!, refs);
            }
        }
        if (!bom.TryGetProperty("vulnerabilities", out var vulnerabilities)) return;
        foreach (var vulnerability in vulnerabilities.EnumerateArray())
        {
            Assert.True(refs.Add(vulnerability.GetProperty("bom-ref").GetString()!), "bom-refs are unique");
            Assert.False(string.IsNullOrEmpty(vulnerability.GetProperty("id").GetString()));
            ValidateSource(vulnerability.GetProperty("source"));
            if (vulnerability.TryGetProperty("references", out var references))
            {
                foreach (var reference in references.EnumerateArray())
                {
                    Assert.False(string.IsNullOrEmpty(reference.GetProperty("id").GetString()));
                    ValidateSource(reference.GetProperty("source"));
                }
            }
            foreach (var rating in vulnerability.GetProperty("ratings").EnumerateArray())
            {
                Assert.Contains(rating.GetProperty("severity").GetString()!, Severities);
                Assert.Contains(rating.GetProperty("method").GetString()!, Methods);
                if (rating.TryGetProperty("score", out var score)) Assert.Equal(JsonValueKind.Number, score.ValueKind);
            }
            if (vulnerability.TryGetProperty("cwes", out var cwes))
                Assert.All(cwes.EnumerateArray(), c => Assert.Equal(JsonValueKind.Number, c.ValueKind));
            foreach (var advisory in vulnerability.GetProperty("advisories").EnumerateArray())
                Assert.True(Uri.IsWellFormedUriString(advisory.GetProperty("url").GetString(), UriKind.Absolute));
            var affects = vulnerability.GetProperty("affects");
            Assert.NotEqual(0, affects.GetArrayLength());
            foreach (var affect in affects.EnumerateArray())
            {
                Assert.Contains(affect.GetProperty("ref").GetString()!, refs);
                foreach (var version in affect.GetProperty("versions").EnumerateArray())
                    Assert.Contains(version.GetProperty("status").GetString()!, AffectStatus);
            }
            ValidateProperties(vulnerability);
        }
    }

    private static void ValidateComponent(JsonElement component, HashSet<string> refs)
    {
        Assert.Contains(component.GetProperty("type").GetString()!, ComponentTypes);
        Assert.False(string.IsNullOrEmpty(component.GetProperty("name").GetString()));
        Assert.True(refs.Add(component.GetProperty("bom-ref").GetString()!), "bom-refs are unique");
        if (component.TryGetProperty("purl", out var purl)) Assert.StartsWith("pkg:", purl.GetString(), StringComparison.Ordinal);
        if (component.TryGetProperty("licenses", out var licenses))
        {
            foreach (var choice in licenses.EnumerateArray())
            {
                var license = choice.GetProperty("license");
                Assert.True(license.TryGetProperty("id", out _) ^ license.TryGetProperty("name", out _), "a license has an id or a name");
            }
        }
        ValidateProperties(component);
    }

    private static void ValidateSource(JsonElement source)
    {
        Assert.False(string.IsNullOrEmpty(source.GetProperty("name").GetString()));
        Assert.True(Uri.IsWellFormedUriString(source.GetProperty("url").GetString(), UriKind.Absolute));
    }

    private static void ValidateProperties(JsonElement owner)
    {
        if (!owner.TryGetProperty("properties", out var properties)) return;
        foreach (var property in properties.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.String, property.GetProperty("name").ValueKind);
            Assert.Equal(JsonValueKind.String, property.GetProperty("value").ValueKind);
        }
    }

    [GeneratedRegex("^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")]
    private static partial Regex SerialNumber();
}

using System.Text.Json.Serialization;

namespace SupplyChainMesh.Analysis.Osv;

// The OSV schema (https://ossf.github.io/osv-schema/) as read from JSON; mapped to Advisory by OsvParser.
// Dates stay strings here so one odd timestamp does not make a whole record unreadable.
internal sealed class OsvRecord
{
    public string? Id { get; set; }
    public string? Modified { get; set; }
    public string? Published { get; set; }
    public string? Withdrawn { get; set; }
    public List<string>? Aliases { get; set; }
    public List<string>? Related { get; set; }
    public string? Summary { get; set; }
    public string? Details { get; set; }
    public List<OsvSeverity>? Severity { get; set; }
    public List<OsvAffected>? Affected { get; set; }
    public List<OsvReference>? References { get; set; }
    [JsonPropertyName("database_specific")]
    public OsvDatabaseSpecific? DatabaseSpecific { get; set; }
}

internal sealed class OsvSeverity
{
    public string? Type { get; set; }
    public string? Score { get; set; }
}

internal sealed class OsvAffected
{
    public OsvPackage? Package { get; set; }
    public List<OsvSeverity>? Severity { get; set; }
    public List<OsvRange>? Ranges { get; set; }
    public List<string>? Versions { get; set; }
    [JsonPropertyName("ecosystem_specific")]
    public OsvEcosystemSpecific? EcosystemSpecific { get; set; }
}

internal sealed class OsvPackage
{
    public string? Ecosystem { get; set; }
    public string? Name { get; set; }
    public string? Purl { get; set; }
}

internal sealed class OsvRange
{
    public string? Type { get; set; }
    public List<OsvEvent>? Events { get; set; }
}

internal sealed class OsvEvent
{
    public string? Introduced { get; set; }
    public string? Fixed { get; set; }
    [JsonPropertyName("last_affected")]
    public string? LastAffected { get; set; }
    public string? Limit { get; set; }
}

internal sealed class OsvReference
{
    public string? Type { get; set; }
    public string? Url { get; set; }
}

internal sealed class OsvDatabaseSpecific
{
    // GHSA: LOW, MODERATE, HIGH, CRITICAL.
    public string? Severity { get; set; }
}

internal sealed class OsvEcosystemSpecific
{
    // Debian (osv.dev export): unimportant, low, medium, high, not yet assigned.
    public string? Urgency { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, PropertyNameCaseInsensitive = false,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(OsvRecord))]
[JsonSerializable(typeof(List<OsvRecord>))]
internal sealed partial class OsvJsonContext : JsonSerializerContext;

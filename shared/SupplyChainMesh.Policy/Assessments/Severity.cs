using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Assessments;

/// <summary>
/// The severity of a finding, ordered from least to most severe so that "above a severity" is a numeric comparison.
/// <see cref="Unknown"/> sorts lowest, as Trivy and Harbor rank it.
/// </summary>
public enum Severity
{
    [JsonStringEnumMemberName("unknown")] Unknown = 0,
    [JsonStringEnumMemberName("negligible")] Negligible = 1,
    [JsonStringEnumMemberName("low")] Low = 2,
    [JsonStringEnumMemberName("medium")] Medium = 3,
    [JsonStringEnumMemberName("high")] High = 4,
    [JsonStringEnumMemberName("critical")] Critical = 5,
}

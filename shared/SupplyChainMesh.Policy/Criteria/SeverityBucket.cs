using System.Text.Json.Serialization;
using SupplyChainMesh.Policy.Assessments;

namespace SupplyChainMesh.Policy.Criteria;

/// <summary>Which findings a count criterion counts: one severity exactly, or all of them (DTR's buckets).</summary>
public enum SeverityBucket
{
    [JsonStringEnumMemberName("critical")] Critical,
    [JsonStringEnumMemberName("high")] High,
    [JsonStringEnumMemberName("medium")] Medium,
    [JsonStringEnumMemberName("low")] Low,
    [JsonStringEnumMemberName("all")] All,
}

public static class SeverityBucketExtensions
{
    public static bool Contains(this SeverityBucket bucket, Severity severity) => bucket switch
    {
        SeverityBucket.Critical => severity == Severity.Critical,
        SeverityBucket.High => severity == Severity.High,
        SeverityBucket.Medium => severity == Severity.Medium,
        SeverityBucket.Low => severity == Severity.Low,
        SeverityBucket.All => true,
        _ => false,
    };

    public static string Name(this SeverityBucket bucket) => bucket switch
    {
        SeverityBucket.Critical => "critical",
        SeverityBucket.High => "high",
        SeverityBucket.Medium => "medium",
        SeverityBucket.Low => "low",
        _ => "all",
    };
}

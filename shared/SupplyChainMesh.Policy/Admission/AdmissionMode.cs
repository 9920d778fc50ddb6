using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Admission;

public enum AdmissionMode
{
    /// <summary>A broken rule denies the request.</summary>
    [JsonStringEnumMemberName("enforce")] Enforce,

    /// <summary>A broken rule admits the request with admission warnings the client sees.</summary>
    [JsonStringEnumMemberName("warn")] Warn,

    /// <summary>A broken rule admits the request and is only recorded in the audit annotations.</summary>
    [JsonStringEnumMemberName("audit")] Audit,
}

public enum UnknownVerdictAction
{
    /// <summary>Admit (with a warning) when the verdict of an image is not known.</summary>
    [JsonStringEnumMemberName("failOpen")] FailOpen,

    /// <summary>Treat an unknown verdict as a broken rule.</summary>
    [JsonStringEnumMemberName("failClosed")] FailClosed,
}

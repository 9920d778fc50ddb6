using System.Text.Json.Serialization;

namespace SupplyChainMesh.Policy.Exceptions;

public enum SuppressionKind
{
    [JsonStringEnumMemberName("exception")] Exception,
    [JsonStringEnumMemberName("vex")] Vex,
}

/// <summary>Why a finding does not count: the exception (its id, reason, who) or the VEX statement (its document, status, justification).</summary>
public sealed record Suppression
{
    public required SuppressionKind Kind { get; init; }

    /// <summary>The exception id, or the VEX document id.</summary>
    public string? Reference { get; init; }

    /// <summary>The exception's reason, or the VEX status with its justification and impact statement.</summary>
    public required string Reason { get; init; }

    /// <summary>Who added the exception, or the VEX author.</summary>
    public string? By { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}

namespace SupplyChainMesh.Contracts;

/// <summary>An image was copied (or moved) to its target. Published by the promotion saga.</summary>
public sealed record ImagePromoted
{
    public required ImageIdentity Image { get; init; }

    public required ImageIdentity Target { get; init; }

    public required Guid PolicyId { get; init; }

    public required string Action { get; init; }

    public required DateTimeOffset PromotedAt { get; init; }

    /// <summary>Set when a move copied the image but the source tag stayed (the registry refused to delete the tag and
    /// another tag shares the digest): why. Null for a copy and for a complete move.</summary>
    public string? SourceTagKept { get; init; }
}

/// <summary>A promotion gave up after its retries, with the reason. Published by the promotion saga.</summary>
public sealed record PromotionFailed
{
    public required ImageIdentity Image { get; init; }

    public required string TargetRepository { get; init; }

    public required string TargetTag { get; init; }

    public required Guid PolicyId { get; init; }

    public required string Reason { get; init; }

    public int Attempts { get; init; }
}

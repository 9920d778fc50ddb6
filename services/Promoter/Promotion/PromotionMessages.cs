namespace SupplyChainMesh.Promoter.Promotion;

/// <summary>Command from the promotion saga to <see cref="PromoteImageConsumer"/>: copy (or move) the image now. Sent
/// after the saga committed its Promoting state, so the registry work and its back-off hold no database transaction.</summary>
public sealed record PromoteImage
{
    public required Guid PromotionId { get; init; }

    /// <summary>The saga's run this command belongs to; an answer for another run is ignored.</summary>
    public required int Generation { get; init; }

    public required string SourceRegistry { get; init; }
    public required string SourceRepository { get; init; }
    public string? SourceTag { get; init; }
    public required string Digest { get; init; }
    public required string TargetRegistry { get; init; }
    public required string TargetRepository { get; init; }
    public required string TargetTag { get; init; }
    public required string Action { get; init; }
}

/// <summary>What <see cref="PromoteImageConsumer"/> did: the saga records it and announces the outcome.</summary>
public sealed record PromotionAttempted
{
    public required Guid PromotionId { get; init; }

    public required int Generation { get; init; }

    /// <summary>Null when the image was promoted.</summary>
    public string? FailureReason { get; init; }

    public string? Detail { get; init; }

    /// <summary>Why a move kept its source tag (the copy is done); null otherwise.</summary>
    public string? SourceTagKept { get; init; }

    public required int Attempts { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }
}

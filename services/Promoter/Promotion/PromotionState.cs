using MassTransit;

namespace SupplyChainMesh.Promoter.Promotion;

/// <summary>The promotion saga's state, one row per (policy, digest, target): <see cref="Contracts.PolicySatisfied.PromotionId"/>.</summary>
public sealed class PromotionState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public int Version { get; set; }
    public string CurrentState { get; set; } = "Initial";

    public Guid PolicyId { get; set; }
    public string PolicyName { get; set; } = "";
    public string SourceRegistry { get; set; } = "";
    public string SourceRepository { get; set; } = "";
    public string? SourceTag { get; set; }
    public string Digest { get; set; } = "";
    public string TargetRegistry { get; set; } = "";
    public string TargetRepository { get; set; } = "";
    public string TargetTag { get; set; } = "";
    public string Action { get; set; } = "";
    public string Fingerprint { get; set; } = "";

    /// <summary>Who pushed the image (<see cref="Contracts.PolicySatisfied.PushedBy"/>), when known.</summary>
    public string? PushedBy { get; set; }

    /// <summary>Registry attempts made by the last run (1 when the first one worked).</summary>
    public int Attempts { get; set; }

    public string? FailureReason { get; set; }

    /// <summary>Counts the runs of this promotion (a failed one runs again on the next <see cref="Contracts.PolicySatisfied"/>):
    /// part of the deterministic message id of the <see cref="Contracts.ImagePromoted"/>/<see cref="Contracts.PromotionFailed"/>
    /// the run ends with.</summary>
    public int Generation { get; set; }

    /// <summary>The message id of the <see cref="PromotionAttempted"/> that ended the run: when it is redelivered
    /// (the announcement may not have left), the saga announces again with the same message id.</summary>
    public Guid? CompletedBy { get; set; }

    /// <summary>What the copy did (blobs mounted, copied, skipped; how a move removed the source tag).</summary>
    public string? Detail { get; set; }

    /// <summary>Why a move kept its source tag (the copy is done, the move is not complete); null otherwise.</summary>
    public string? SourceTagKept { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

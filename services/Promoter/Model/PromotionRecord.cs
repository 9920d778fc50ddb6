namespace SupplyChainMesh.Promoter.Model;

/// <summary>Every promotion attempt that ended: who, what, when, which policy, from where to where, and the outcome.</summary>
public sealed class PromotionRecord
{
    public const string Promoted = "promoted";
    public const string Failed = "failed";
    public const string Move = "move";

    public Guid Id { get; set; }

    /// <summary>The saga it belongs to (one per policy, digest, target).</summary>
    public Guid PromotionId { get; set; }
    public Guid PolicyId { get; set; }
    public required string PolicyName { get; set; }
    public required string SourceRegistry { get; set; }
    public required string SourceRepository { get; set; }
    public string? SourceTag { get; set; }
    public required string Digest { get; set; }
    public required string TargetRegistry { get; set; }
    public required string TargetRepository { get; set; }
    public required string TargetTag { get; set; }
    public required string Action { get; set; }
    public required string Outcome { get; set; }
    public string? Reason { get; set; }
    public string? Detail { get; set; }
    public int Attempts { get; set; }

    /// <summary>The promoter's identity: the robot account (<c>Registry:Username</c>) or <c>Promoter:Actor</c>.</summary>
    public string Actor { get; set; } = "promoter";

    /// <summary>Who pushed the image, when the registry said.</summary>
    public string? PushedBy { get; set; }
    public DateTimeOffset At { get; set; }
}

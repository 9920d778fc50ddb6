namespace SupplyChainMesh.Promoter.Model;

/// <summary>Every promotion: who, what, when, which policy, from where to where.</summary>
public sealed class PromotionRecord
{
    public Guid Id { get; set; }
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
    public string Actor { get; set; } = "promoter";
    public DateTimeOffset At { get; set; }
}

namespace SupplyChainMesh.Gateway.Identity.Model;

/// <summary>One change to identity data or one security event: who did what to which target, when.</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; } = DateTimeOffset.UtcNow;
    public required string Actor { get; set; }
    public required string Action { get; set; }
    public required string Target { get; set; }
    public string? Detail { get; set; }
}

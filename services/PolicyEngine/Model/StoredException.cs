using SupplyChainMesh.Policy.Exceptions;

namespace SupplyChainMesh.PolicyEngine.Model;

/// <summary>A vulnerability exception (waiver) as stored; see <see cref="VulnerabilityException"/> for the rules.</summary>
public sealed class StoredException
{
    public Guid Id { get; set; }
    public ExceptionScope Scope { get; set; }
    public string? Target { get; set; }
    public required string VulnerabilityId { get; set; }
    public string? PackagePurl { get; set; }
    public required string Reason { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }

    public VulnerabilityException ToException() => new()
    {
        Id = Id,
        Scope = Scope,
        Target = Target,
        VulnerabilityId = VulnerabilityId,
        PackagePurl = PackagePurl,
        Reason = Reason,
        CreatedBy = CreatedBy,
        CreatedAt = CreatedAt,
        ExpiresAt = ExpiresAt,
    };
}

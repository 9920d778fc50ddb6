using SupplyChainMesh.Gateway.Identity.Access;

namespace SupplyChainMesh.Gateway.Identity.Model;

/// <summary>A team's access level on a repository or a namespace pattern (<c>dev/*</c>, <c>*</c>, <c>qa/app</c>).</summary>
public sealed class Permission
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TeamId { get; set; }
    public required string RepositoryPattern { get; set; }
    public AccessLevel Level { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

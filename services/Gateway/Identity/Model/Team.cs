namespace SupplyChainMesh.Gateway.Identity.Model;

/// <summary>A group of users that holds permissions; a user's access is the union of their teams' permissions.</summary>
public sealed class Team
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<TeamMember> Members { get; set; } = [];
    public List<Permission> Permissions { get; set; } = [];
}

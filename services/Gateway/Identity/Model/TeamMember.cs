namespace SupplyChainMesh.Gateway.Identity.Model;

public sealed class TeamMember
{
    public Guid TeamId { get; set; }
    public Guid UserId { get; set; }
    public Team? Team { get; set; }
    public User? User { get; set; }
}

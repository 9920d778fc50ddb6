namespace SupplyChainMesh.Gateway.Identity.Model;

/// <summary>A person or a robot account (a service such as the promoter). Robots have no password: they sign in with
/// an API token only.</summary>
public sealed class User
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Username { get; set; }
    public string? PasswordHash { get; set; }
    public bool IsAdmin { get; set; }
    public bool IsRobot { get; set; }
    public bool Disabled { get; set; }
    /// <summary>Consecutive wrong passwords since the last good one; reset on success.</summary>
    public int FailedLogins { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public List<TeamMember> Memberships { get; set; } = [];
}

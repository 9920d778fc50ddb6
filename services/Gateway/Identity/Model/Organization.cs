namespace SupplyChainMesh.Gateway.Identity.Model;

/// <summary>A namespace of repositories (<c>dev</c>, <c>qa</c>, <c>prod</c>): the first path segment of a repository name.</summary>
public sealed class Organization
{
    public required string Name { get; set; }
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

namespace SupplyChainMesh.Gateway.Identity.Model;

/// <summary>
/// A bearer secret of a user or robot: an API token for tools and CI, or the refresh token a registry client got from
/// <c>offline_token=true</c>. Only the SHA-256 of the secret is kept (the secret is 256 random bits, so a slow hash
/// adds nothing and a fast one keeps every request cheap); the secret itself is shown once, at creation.
/// </summary>
public sealed class ApiToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public User? User { get; set; }
    public required string Name { get; set; }
    public ApiTokenKind Kind { get; set; }
    public required byte[] SecretHash { get; set; }
    /// <summary>The first characters of the secret, so a person can tell their tokens apart.</summary>
    public required string Prefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public enum ApiTokenKind
{
    Api,
    Refresh,
}

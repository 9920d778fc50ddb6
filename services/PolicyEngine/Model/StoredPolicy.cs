namespace SupplyChainMesh.PolicyEngine.Model;

/// <summary>A promotion policy as stored: the document is the policy library's JSON, validated before it is saved.</summary>
public sealed class StoredPolicy
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string SourcePattern { get; set; }
    public bool Enabled { get; set; }
    public int Order { get; set; }
    public required string Document { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }

    /// <summary>Optimistic concurrency token, served as the ETag: an update must name the version it read.</summary>
    public int Version { get; set; }
}

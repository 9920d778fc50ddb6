namespace SupplyChainMesh.Promoter.Model;

/// <summary>An HTTP endpoint that wants some of the mesh's events, signed with its secret.</summary>
public sealed class Subscription
{
    public Guid Id { get; set; }
    public required string Url { get; set; }

    /// <summary>The HMAC-SHA256 key of <c>X-SCM-Signature</c>. Never returned by the API.</summary>
    public required string Secret { get; set; }

    /// <summary>Event kinds (<see cref="Notifications.EventKinds"/>).</summary>
    public List<string> Events { get; set; } = [];
    public string? Description { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

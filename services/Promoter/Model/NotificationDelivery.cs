namespace SupplyChainMesh.Promoter.Model;

/// <summary>One event for one subscriber: queued when the event is consumed, then posted until it is accepted or the
/// attempts run out. The row is the delivery record (attempts, last status, last error).</summary>
public sealed class NotificationDelivery
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";

    public Guid Id { get; set; }

    /// <summary>The event's id (<c>X-SCM-Event-Id</c>): the same for every subscriber and every retry, so a receiver
    /// can drop a repeat.</summary>
    public Guid EventId { get; set; }
    public Guid SubscriptionId { get; set; }
    public required string Kind { get; set; }

    /// <summary>The exact JSON body that is signed and posted.</summary>
    public required string Payload { get; set; }
    public string Status { get; set; } = Pending;
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
}

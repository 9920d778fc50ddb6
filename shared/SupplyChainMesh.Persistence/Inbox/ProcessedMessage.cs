namespace SupplyChainMesh.Persistence.Inbox;

/// <summary>A message a consumer has already handled: the inbox that makes consumers idempotent. Written in the same
/// transaction as the consumer's own changes, so a redelivered message (same MessageId) finds its row and changes nothing.</summary>
public sealed class ProcessedMessage
{
    public required string Consumer { get; init; }

    public required Guid MessageId { get; init; }

    public DateTimeOffset ProcessedAt { get; init; }
}

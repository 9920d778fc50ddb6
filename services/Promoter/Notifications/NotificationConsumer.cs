using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Promoter.Infrastructure;
using SupplyChainMesh.Promoter.Model;

namespace SupplyChainMesh.Promoter.Notifications;

/// <summary>
/// Turns the events people care about into queued deliveries, one per interested subscriber, in the same transaction
/// as the inbox row (<see cref="Persistence.Inbox.InboxFilter{TMessage}"/>): a redelivered event queues nothing twice.
/// <see cref="DeliverySender"/> posts them.
/// </summary>
public sealed class NotificationConsumer(PromoterDbContext db, TimeProvider time) :
    IConsumer<ImageScanned>,
    IConsumer<ImageAssessed>,
    IConsumer<ImagePromoted>,
    IConsumer<PromotionFailed>,
    IConsumer<NewVulnerabilitiesFound>,
    IConsumer<PolicyViolated>
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public Task Consume(ConsumeContext<ImageScanned> context) =>
        QueueAsync(context, context.Message.Succeeded ? EventKinds.ScanCompleted : EventKinds.ScanFailed);

    /// <summary>Only a scan's assessment that found something: a feed-driven re-assessment is told as
    /// <see cref="EventKinds.VulnerabilitiesFound"/>, with the new ids.</summary>
    public Task Consume(ConsumeContext<ImageAssessed> context) =>
        context.Message.Trigger == "scan" && context.Message.Counts.Total > 0 ? QueueAsync(context, EventKinds.ScanVulnerable) : Task.CompletedTask;

    public Task Consume(ConsumeContext<ImagePromoted> context) => QueueAsync(context, EventKinds.ImagePromoted);

    public Task Consume(ConsumeContext<PromotionFailed> context) => QueueAsync(context, EventKinds.PromotionFailed);

    public Task Consume(ConsumeContext<NewVulnerabilitiesFound> context) => QueueAsync(context, EventKinds.VulnerabilitiesFound);

    public Task Consume(ConsumeContext<PolicyViolated> context) => QueueAsync(context, EventKinds.PolicyViolated);

    private async Task QueueAsync<T>(ConsumeContext<T> context, string kind)
        where T : class
    {
        var subscribers = await db.Subscriptions.AsNoTracking()
            .Where(s => s.Events.Contains(kind)).Select(s => s.Id).ToListAsync(context.CancellationToken);
        if (subscribers.Count == 0) return;

        var now = time.GetUtcNow();
        var eventId = DeterministicId.For("notification", $"{kind}/{context.MessageId ?? NewId.NextGuid()}");
        var payload = JsonSerializer.Serialize(new { id = eventId, kind, occurredAt = context.SentTime ?? now.UtcDateTime, data = context.Message }, Json);
        foreach (var subscriber in subscribers)
        {
            db.Deliveries.Add(new NotificationDelivery
            {
                Id = Guid.CreateVersion7(),
                EventId = eventId,
                SubscriptionId = subscriber,
                Kind = kind,
                Payload = payload,
                NextAttemptAt = now,
                CreatedAt = now,
            });
        }
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

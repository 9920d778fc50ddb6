using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace SupplyChainMesh.Persistence.Inbox;

/// <summary>The DbContext whose transaction the inbox joins (the consumer's own, resolved from the same scope).</summary>
public interface IInboxDbContext
{
    DbContext DbContext { get; }
}

/// <summary>
/// Scoped consume filter: opens a transaction on the consumer's DbContext, records (consumer, MessageId) with
/// <c>ON CONFLICT DO NOTHING</c>, runs the consumer only when the row is new, and commits both together. A redelivery
/// after a crash between commit and ack finds the row and is acknowledged without effect.
/// </summary>
public sealed class InboxFilter<TMessage>(IInboxDbContext inbox, ILogger<InboxFilter<TMessage>> logger) : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    private static readonly string ConsumerName = typeof(TMessage).Name;

    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        if (context.MessageId is not { } messageId)
        {
            await next.Send(context);
            return;
        }

        var db = inbox.DbContext;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var schema = db.Model.FindEntityType(typeof(ProcessedMessage))?.GetSchema();
            var table = schema is null ? "\"processed_messages\"" : $"\"{schema}\".\"processed_messages\"";
#pragma warning disable EF1002 // the table name comes from our own model, not from input
            var inserted = await db.Database.ExecuteSqlRawAsync(
                $"INSERT INTO {table} (\"Consumer\", \"MessageId\", \"ProcessedAt\") VALUES ({{0}}, {{1}}, {{2}}) ON CONFLICT DO NOTHING",
                [ConsumerName, messageId, DateTimeOffset.UtcNow], ct);
#pragma warning restore EF1002
            if (inserted == 0)
            {
                logger.LogInformation("Message {MessageId} ({MessageType}) was already processed; acknowledging without effect", messageId, ConsumerName);
                return;
            }
            await next.Send(context);
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }, context.CancellationToken);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("inbox");
}

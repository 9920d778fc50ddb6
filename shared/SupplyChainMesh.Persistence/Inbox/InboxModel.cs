using Microsoft.EntityFrameworkCore;

namespace SupplyChainMesh.Persistence.Inbox;

public static class InboxModel
{
    /// <summary>Maps the inbox table into a service's DbContext (its own schema).</summary>
    public static ModelBuilder AddInbox(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<ProcessedMessage>(e =>
        {
            e.ToTable("processed_messages");
            e.HasKey(m => new { m.Consumer, m.MessageId });
            e.Property(m => m.Consumer).HasMaxLength(200);
            e.HasIndex(m => m.ProcessedAt);
        });
        return modelBuilder;
    }
}

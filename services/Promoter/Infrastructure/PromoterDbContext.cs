using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupplyChainMesh.Persistence.Inbox;
using SupplyChainMesh.Persistence.Sagas;
using SupplyChainMesh.Promoter.Model;
using SupplyChainMesh.Promoter.Promotion;

namespace SupplyChainMesh.Promoter.Infrastructure;

public sealed class PromoterDbContext(DbContextOptions<PromoterDbContext> options) : DbContext(options), IInboxDbContext
{
    public const string Schema = "promoter";

    public DbSet<PromotionRecord> Promotions => Set<PromotionRecord>();
    public DbSet<PromotionState> PromotionSagas => Set<PromotionState>();
    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<NotificationDelivery> Deliveries => Set<NotificationDelivery>();

    DbContext IInboxDbContext.DbContext => this;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddInbox();
        modelBuilder.ApplyConfiguration(new PromotionStateMap());
        modelBuilder.Entity<PromotionRecord>(e =>
        {
            e.ToTable("promotions");
            e.HasIndex(p => new { p.SourceRepository, p.Digest });
            e.HasIndex(p => p.TargetRepository);
            e.HasIndex(p => p.PromotionId);
            e.HasIndex(p => p.At);
        });
        modelBuilder.Entity<Subscription>(e => e.ToTable("subscriptions"));
        modelBuilder.Entity<NotificationDelivery>(e =>
        {
            e.ToTable("notification_deliveries");
            e.Property(d => d.Payload).HasColumnType("jsonb");
            e.HasIndex(d => new { d.SubscriptionId, d.EventId }).IsUnique();
            e.HasIndex(d => new { d.Status, d.NextAttemptAt });
        });
    }

    private sealed class PromotionStateMap : SagaStateMap<PromotionState>
    {
        protected override void ConfigureState(EntityTypeBuilder<PromotionState> entity)
        {
            entity.ToTable("promotion_sagas");
            entity.Property(s => s.CurrentState).HasMaxLength(32).IsRequired();
            entity.HasIndex(s => new { s.SourceRepository, s.Digest });
        }
    }
}

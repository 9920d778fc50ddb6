using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Persistence.Inbox;
using SupplyChainMesh.Promoter.Model;

namespace SupplyChainMesh.Promoter.Infrastructure;

public sealed class PromoterDbContext(DbContextOptions<PromoterDbContext> options) : DbContext(options), IInboxDbContext
{
    public const string Schema = "promoter";

    public DbSet<PromotionRecord> Promotions => Set<PromotionRecord>();

    DbContext IInboxDbContext.DbContext => this;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddInbox();
        modelBuilder
            .Entity<PromotionRecord>(e =>
        {
            e.ToTable("promotions");
            e.HasIndex(p => new { p.SourceRepository, p.Digest });
            e.HasIndex(p => p.At);
        });
    }
}

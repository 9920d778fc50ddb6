using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.FeedSync.Model;
using SupplyChainMesh.Persistence.Inbox;

namespace SupplyChainMesh.FeedSync.Infrastructure;

public sealed class FeedDbContext(DbContextOptions<FeedDbContext> options) : DbContext(options), IInboxDbContext
{
    public const string Schema = "feeds";

    public DbSet<FeedSource> Sources => Set<FeedSource>();

    DbContext IInboxDbContext.DbContext => this;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddInbox();
        modelBuilder
            .Entity<FeedSource>(e =>
        {
            e.ToTable("feed_sources");
            e.HasKey(s => s.Name);
        });
    }
}

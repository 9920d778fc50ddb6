using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Persistence.Inbox;
using SupplyChainMesh.PolicyEngine.Model;

namespace SupplyChainMesh.PolicyEngine.Infrastructure;

public sealed class PolicyDbContext(DbContextOptions<PolicyDbContext> options) : DbContext(options), IInboxDbContext
{
    public const string Schema = "policy";

    public DbSet<StoredPolicy> Policies => Set<StoredPolicy>();

    DbContext IInboxDbContext.DbContext => this;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddInbox();
        modelBuilder
            .Entity<StoredPolicy>(e =>
        {
            e.ToTable("policies");
            e.HasIndex(p => p.Name).IsUnique();
            e.HasIndex(p => new { p.SourcePattern, p.Order });
            e.Property(p => p.Document).HasColumnType("jsonb");
        });
    }
}

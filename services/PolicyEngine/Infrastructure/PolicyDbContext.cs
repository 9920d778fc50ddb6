using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Persistence.Inbox;
using SupplyChainMesh.PolicyEngine.Model;

namespace SupplyChainMesh.PolicyEngine.Infrastructure;

public sealed class PolicyDbContext(DbContextOptions<PolicyDbContext> options) : DbContext(options), IInboxDbContext
{
    public const string Schema = "policy";

    public DbSet<StoredPolicy> Policies => Set<StoredPolicy>();

    public DbSet<StoredException> Exceptions => Set<StoredException>();

    public DbSet<StoredVexDocument> VexDocuments => Set<StoredVexDocument>();

    public DbSet<StoredAdmissionRule> AdmissionRules => Set<StoredAdmissionRule>();

    public DbSet<StoredVerdict> Verdicts => Set<StoredVerdict>();

    public DbSet<ImageSummary> Images => Set<ImageSummary>();

    DbContext IInboxDbContext.DbContext => this;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddInbox();
        modelBuilder.Entity<StoredPolicy>(e =>
        {
            e.ToTable("policies");
            e.HasIndex(p => p.Name).IsUnique();
            e.HasIndex(p => new { p.SourcePattern, p.Order });
            e.Property(p => p.Document).HasColumnType("jsonb");
            e.Property(p => p.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<StoredException>(e =>
        {
            e.ToTable("exceptions");
            e.Property(x => x.Scope).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(x => x.VulnerabilityId);
        });
        modelBuilder.Entity<StoredVexDocument>(e =>
        {
            e.ToTable("vex_documents");
            e.HasIndex(x => x.Source);
        });
        modelBuilder.Entity<StoredAdmissionRule>(e =>
        {
            e.ToTable("admission_rules");
            e.HasIndex(r => r.Name).IsUnique();
            e.Property(r => r.Document).HasColumnType("jsonb");
            e.Property(r => r.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<StoredVerdict>(e =>
        {
            e.ToTable("verdicts");
            e.HasKey(v => new { v.PolicyId, v.Registry, v.Repository, v.Digest, v.Tag });
            e.HasIndex(v => new { v.Repository, v.Digest });
            e.HasIndex(v => v.Digest);
            e.Property(v => v.Document).HasColumnType("jsonb");
        });
        modelBuilder.Entity<ImageSummary>(e =>
        {
            e.ToTable("images");
            e.HasKey(i => new { i.Registry, i.Repository, i.Digest, i.Tag });
            e.HasIndex(i => i.Digest);
            e.HasIndex(i => new { i.Registry, i.Repository, i.Tag, i.EvaluatedAt });
        });
    }
}

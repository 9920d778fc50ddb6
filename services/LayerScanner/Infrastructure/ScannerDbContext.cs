using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupplyChainMesh.LayerScanner.Scanning;
using SupplyChainMesh.Persistence.Inbox;
using SupplyChainMesh.Persistence.Sagas;

namespace SupplyChainMesh.LayerScanner.Infrastructure;

public sealed class ScannerDbContext(DbContextOptions<ScannerDbContext> options) : DbContext(options), IInboxDbContext
{
    public const string Schema = "scanner";

    public DbSet<ImageScanState> Scans => Set<ImageScanState>();
    public DbSet<LayerFinding> LayerFindings => Set<LayerFinding>();

    DbContext IInboxDbContext.DbContext => this;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddInbox();
        modelBuilder.ApplyConfiguration(new ImageScanStateMap());
        modelBuilder.Entity<LayerFinding>(e =>
        {
            e.ToTable("layer_findings");
            e.HasKey(f => new { f.Digest, f.AnalyzerVersion });
            e.Property(f => f.Json).HasColumnType("jsonb");
        });
    }

    private sealed class ImageScanStateMap : SagaStateMap<ImageScanState>
    {
        protected override void ConfigureState(EntityTypeBuilder<ImageScanState> entity)
        {
            entity.ToTable("image_scans");
            entity.Property(s => s.CurrentState).HasMaxLength(32).IsRequired();
            entity.HasIndex(s => new { s.Repository, s.Digest });
            entity.HasIndex(s => s.CurrentState);
        }
    }
}

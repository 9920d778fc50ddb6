using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using SupplyChainMesh.Contracts;
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
            entity.Property(s => s.Platforms).HasColumnType("jsonb").HasConversion(
                v => JsonSerializer.Serialize(v, JsonOptions),
                v => JsonSerializer.Deserialize<List<ScannedPlatform>>(v, JsonOptions) ?? new List<ScannedPlatform>(),
                new ValueComparer<List<ScannedPlatform>>(
                    (a, b) => JsonSerializer.Serialize(a, JsonOptions) == JsonSerializer.Serialize(b, JsonOptions),
                    v => JsonSerializer.Serialize(v, JsonOptions).GetHashCode(StringComparison.Ordinal),
                    v => v.ToList()));
        }

        private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
    }
}

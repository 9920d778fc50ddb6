using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Ingest.Model;
using SupplyChainMesh.Ingest.Timeline;
using SupplyChainMesh.Persistence.Inbox;

namespace SupplyChainMesh.Ingest.Infrastructure;

public sealed class IngestDbContext(DbContextOptions<IngestDbContext> options) : DbContext(options), IInboxDbContext
{
    public const string Schema = "ingest";

    public DbSet<ImagePush> Pushes => Set<ImagePush>();
    public DbSet<TagHead> Tags => Set<TagHead>();
    public DbSet<ReceivedEvent> ReceivedEvents => Set<ReceivedEvent>();
    public DbSet<ImageStatus> ImageStatuses => Set<ImageStatus>();
    public DbSet<ImageHistoryEntry> ImageHistory => Set<ImageHistoryEntry>();

    DbContext IInboxDbContext.DbContext => this;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddInbox();
        modelBuilder.Entity<ImagePush>(e =>
        {
            e.ToTable("pushes");
            e.HasIndex(p => new { p.Registry, p.Repository, p.Digest, p.Tag }).IsUnique();
            e.HasIndex(p => p.PushedAt);
        });
        modelBuilder.Entity<TagHead>(e =>
        {
            e.ToTable("tags");
            e.HasKey(t => new { t.Registry, t.Repository, t.Tag });
            e.HasIndex(t => t.Digest);
        });
        modelBuilder.Entity<ImageStatus>(e =>
        {
            e.ToTable("image_status");
            e.HasKey(s => new { s.Registry, s.Repository, s.Digest });
            e.Property(s => s.Verdicts).HasColumnType("jsonb");
            e.HasIndex(s => new { s.Repository, s.Digest });
        });
        modelBuilder.Entity<ImageHistoryEntry>(e =>
        {
            e.ToTable("image_history");
            e.HasIndex(h => new { h.Registry, h.Repository, h.Digest, h.At });
        });
        modelBuilder.Entity<ReceivedEvent>(e =>
        {
            e.ToTable("received_events");
            e.HasKey(r => r.EventId);
        });
    }
}

using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Gateway.Identity.Authentication;
using SupplyChainMesh.Gateway.Identity.Model;
using SupplyChainMesh.Persistence.Inbox;

namespace SupplyChainMesh.Gateway.Identity.Infrastructure;

public sealed class IdentityDbContext(DbContextOptions<IdentityDbContext> options) : DbContext(options), IInboxDbContext
{
    public const string Schema = "identity";

    public DbSet<User> Users => Set<User>();
    public DbSet<Team> Teams => Set<Team>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Permission> Permissions => Set<Permission>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<AuditEntry> Audit => Set<AuditEntry>();

    DbContext IInboxDbContext.DbContext => this;

    // Identity changes must reach the authentication cache before the next request.
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.AddInterceptors(CallerCache.Invalidator.Instance);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.Entity<User>(e =>
        {
            e.ToTable("users");
            e.Property(u => u.Username).HasMaxLength(128);
            e.HasIndex(u => u.Username).IsUnique();
            e.Property(u => u.PasswordHash).HasMaxLength(256);
        });
        modelBuilder.Entity<Team>(e =>
        {
            e.ToTable("teams");
            e.Property(t => t.Name).HasMaxLength(128);
            e.HasIndex(t => t.Name).IsUnique();
            e.Property(t => t.Description).HasMaxLength(1024);
        });
        modelBuilder.Entity<TeamMember>(e =>
        {
            e.ToTable("team_members");
            e.HasKey(m => new { m.TeamId, m.UserId });
            e.HasIndex(m => m.UserId);
            e.HasOne(m => m.Team).WithMany(t => t.Members).HasForeignKey(m => m.TeamId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(m => m.User).WithMany(u => u.Memberships).HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<Organization>(e =>
        {
            e.ToTable("organizations");
            e.HasKey(o => o.Name);
            e.Property(o => o.Name).HasMaxLength(128);
            e.Property(o => o.Description).HasMaxLength(1024);
        });
        modelBuilder.Entity<Permission>(e =>
        {
            e.ToTable("permissions");
            e.Property(p => p.RepositoryPattern).HasMaxLength(256);
            e.Property(p => p.Level).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(p => new { p.TeamId, p.RepositoryPattern }).IsUnique();
            e.HasOne<Team>().WithMany(t => t.Permissions).HasForeignKey(p => p.TeamId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ApiToken>(e =>
        {
            e.ToTable("api_tokens");
            e.Property(t => t.Name).HasMaxLength(128);
            e.Property(t => t.Prefix).HasMaxLength(16);
            e.Property(t => t.Kind).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(t => t.SecretHash).IsUnique();
            e.HasIndex(t => t.UserId);
            e.HasOne(t => t.User).WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit");
            e.Property(a => a.Actor).HasMaxLength(128);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Target).HasMaxLength(256);
            e.Property(a => a.Detail).HasMaxLength(2048);
            e.HasIndex(a => a.At);
        });
    }
}

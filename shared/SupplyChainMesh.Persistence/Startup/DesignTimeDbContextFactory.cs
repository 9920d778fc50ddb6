using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SupplyChainMesh.Persistence.Startup;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build a service's model without starting the service: the same provider and
/// per-schema history table as <see cref="PersistenceExtensions.AddServiceDatabase{TDbContext}"/>, no live database.
/// Each service declares a one-line subclass (EF looks for a concrete factory in the service's assembly).
/// </summary>
public abstract class DesignTimeDbContextFactory<TDbContext>(string schema, Func<DbContextOptions<TDbContext>, TDbContext> create)
    : IDesignTimeDbContextFactory<TDbContext>
    where TDbContext : DbContext
{
    public TDbContext CreateDbContext(string[] args) =>
        create(new DbContextOptionsBuilder<TDbContext>()
            .UseNpgsql("Host=localhost", o => o.MigrationsHistoryTable("__ef_migrations_history", schema)).Options);
}

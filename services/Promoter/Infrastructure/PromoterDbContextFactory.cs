using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SupplyChainMesh.Promoter.Infrastructure;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class PromoterDbContextFactory : IDesignTimeDbContextFactory<PromoterDbContext>
{
    public PromoterDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PromoterDbContext>()
            .UseNpgsql("Host=localhost", o => o.MigrationsHistoryTable("__ef_migrations_history", PromoterDbContext.Schema)).Options);
}

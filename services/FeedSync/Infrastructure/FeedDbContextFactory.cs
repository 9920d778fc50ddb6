using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace SupplyChainMesh.FeedSync.Infrastructure;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class FeedDbContextFactory : IDesignTimeDbContextFactory<FeedDbContext>
{
    public FeedDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<FeedDbContext>()
            .UseNpgsql("Host=localhost", o => o.MigrationsHistoryTable("__ef_migrations_history", FeedDbContext.Schema)).Options);
}

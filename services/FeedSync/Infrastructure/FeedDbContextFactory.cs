using SupplyChainMesh.Persistence.Startup;

namespace SupplyChainMesh.FeedSync.Infrastructure;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class FeedDbContextFactory() : DesignTimeDbContextFactory<FeedDbContext>(FeedDbContext.Schema, options => new FeedDbContext(options));

using SupplyChainMesh.Persistence.Startup;

namespace SupplyChainMesh.Promoter.Infrastructure;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class PromoterDbContextFactory() : DesignTimeDbContextFactory<PromoterDbContext>(PromoterDbContext.Schema, options => new PromoterDbContext(options));

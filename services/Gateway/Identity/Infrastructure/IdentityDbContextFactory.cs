using SupplyChainMesh.Persistence.Startup;

namespace SupplyChainMesh.Gateway.Identity.Infrastructure;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the gateway.</summary>
internal sealed class IdentityDbContextFactory() : DesignTimeDbContextFactory<IdentityDbContext>(IdentityDbContext.Schema, options => new IdentityDbContext(options));

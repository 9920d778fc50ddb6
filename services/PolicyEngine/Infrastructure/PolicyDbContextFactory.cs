using SupplyChainMesh.Persistence.Startup;

namespace SupplyChainMesh.PolicyEngine.Infrastructure;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the service.</summary>
internal sealed class PolicyDbContextFactory() : DesignTimeDbContextFactory<PolicyDbContext>(PolicyDbContext.Schema, options => new PolicyDbContext(options));

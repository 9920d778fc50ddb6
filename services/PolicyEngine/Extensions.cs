using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.PolicyEngine;

internal static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PolicyDbContext>(PolicyDbContext.Schema);
        builder.AddMessaging(_ => { });
        return builder;
    }
}

using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.Promoter.Infrastructure;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Promoter;

internal static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PromoterDbContext>(PromoterDbContext.Schema);
        builder.AddMessaging(_ => { });
        return builder;
    }
}

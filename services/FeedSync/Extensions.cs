using SupplyChainMesh.FeedSync.Infrastructure;
using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.FeedSync;

internal static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<FeedDbContext>(FeedDbContext.Schema);
        builder.AddMessaging(_ => { });
        return builder;
    }
}

using SupplyChainMesh.Ingest.Infrastructure;
using SupplyChainMesh.Ingest.Webhooks;
using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Ingest;

internal static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IngestDbContext>(IngestDbContext.Schema);
        builder.AddMessaging(_ => { });
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateOnStart();
        builder.Services.AddScoped<PushRecorder>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}

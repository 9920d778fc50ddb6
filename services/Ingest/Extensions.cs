using MassTransit;
using SupplyChainMesh.Ingest.Infrastructure;
using SupplyChainMesh.Ingest.Requests;
using SupplyChainMesh.Ingest.Timeline;
using SupplyChainMesh.Ingest.Webhooks;
using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Ingest;

internal static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IngestDbContext>(IngestDbContext.Schema);
        builder.AddMessaging(x => x.AddConsumer<ImageTimelineConsumer, ImageTimelineConsumerDefinition>());
        builder.Services.AddRegistryClientPool();
        builder.Services.AddScoped<ScanRequestResolver>();
        builder.Services.AddHttpClient<ScanProgressClient>(http =>
            http.BaseAddress = new Uri(builder.Configuration["Services:LayerScanner"] ?? "http://127.0.0.1:8082"))
            .AddServiceIdentity();
        builder.Services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateOnStart();
        builder.Services.AddScoped<PushRecorder>();
        builder.Services.AddSingleton(TimeProvider.System);
        return builder;
    }
}

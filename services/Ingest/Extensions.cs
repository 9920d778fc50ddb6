using MassTransit;
using SupplyChainMesh.Contracts;
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
        var scanQueue = builder.Configuration[$"{IngestOptions.Section}:{nameof(IngestOptions.ScanQueue)}"] ?? IngestOptions.DefaultScanQueue;
        builder.AddMessaging(x => x.AddConsumer<ImageTimelineConsumer, ImageTimelineConsumerDefinition>(), (_, cfg) =>
        {
            // Publisher confirms do not cover a message no queue is bound to: an ImagePushed published before the scan
            // saga ever started in this broker would be confirmed and dropped. Binding the saga's queue straight to the
            // ImagePushed exchange (declared on the first publish, as durable as the saga's own declaration) makes it
            // wait there instead. Once the saga has bound its own path too, RabbitMQ still puts a message in a queue once.
            var exchange = cfg.MessageTopology.GetMessageTopology<ImagePushed>().EntityName;
            cfg.Publish<ImagePushed>(p => p.BindQueue(exchange, scanQueue));
        });
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

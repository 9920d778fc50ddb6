using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.LayerScanner.Infrastructure;
using SupplyChainMesh.LayerScanner.Scanning;
using SupplyChainMesh.LayerScanner.Workers;
using SupplyChainMesh.Persistence.Sagas;
using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.LayerScanner;

internal static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ScannerDbContext>(ScannerDbContext.Schema);

        var options = LayerAnalysisOptions.Default;
        if (builder.Configuration.GetValue<long?>("Scanner:MaxLayerBytes") is { } maxBytes) options = options with { MaxUncompressedBytes = maxBytes };
        var analyzer = new ImageAnalyzer(Detectors.All(), options);
        builder.Services.AddSingleton(analyzer);
        builder.Services.AddSingleton(new AnalyzerIdentity(analyzer.AnalyzerVersion));

        // The robot account's credentials go only to the mesh's registry (Registry:Url) and Registry:TrustedHosts.
        builder.Services.AddRegistryClientPool();
        builder.Services.AddSingleton<IImageResolver, RegistryImageResolver>();
        builder.Services.AddScoped<ILayerFindingsIndex, LayerFindingsIndex>();
        builder.Services.AddScoped<LayerDispatcher>();
        builder.Services.AddScoped<DispatchLayersActivity>();
        builder.Services.AddScoped<ResendStalledLayersActivity>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<ScanTimeoutSweeper>();

        // A process can be saga-only or worker-only: Scanner:ConsumeLayers=false leaves the scan-layer queue to others.
        var consumeLayers = builder.Configuration.GetValue("Scanner:ConsumeLayers", true);
        builder.AddMessaging(x =>
        {
            x.AddSagaStateMachine<ImageScanStateMachine, ImageScanState, ImageScanSagaDefinition>()
                .EfCoreRepository<ImageScanState, ScannerDbContext>();
            if (consumeLayers) x.AddConsumer<ScanLayerConsumer, ScanLayerConsumerDefinition>();
        });
        return builder;
    }
}

using MassTransit;
using SupplyChainMesh.LayerScanner.Infrastructure;
using SupplyChainMesh.LayerScanner.Scanning;
using SupplyChainMesh.Persistence.Sagas;
using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.LayerScanner;

internal static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<ScannerDbContext>(ScannerDbContext.Schema);
        builder.Services.AddSingleton(new AnalyzerIdentity(builder.Configuration["Scanner:AnalyzerVersion"] ?? "unset"));
        builder.Services.AddScoped<ILayerFindingsIndex, LayerFindingsIndex>();
        builder.Services.AddScoped<DispatchLayersActivity>();
        builder.AddMessaging(x =>
        {
            x.AddSagaStateMachine<ImageScanStateMachine, ImageScanState, ImageScanSagaDefinition>()
                .EfCoreRepository<ImageScanState, ScannerDbContext>();
        });
        return builder;
    }
}

using MassTransit;
using SupplyChainMesh.LayerScanner.Scanning;

namespace SupplyChainMesh.LayerScanner.Workers;

/// <summary>The <c>scan-layer</c> queue, shared by every worker process; how many layers one worker analyses at once
/// (<c>Scanner:MaxConcurrentLayers</c>) bounds its memory and CPU.</summary>
public sealed class ScanLayerConsumerDefinition : ConsumerDefinition<ScanLayerConsumer>
{
    public ScanLayerConsumerDefinition(IConfiguration configuration)
    {
        EndpointName = LayerDispatcher.ScanLayerQueue;
        ConcurrentMessageLimit = configuration.GetValue("Scanner:MaxConcurrentLayers", 2);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ScanLayerConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.PrefetchCount = ConcurrentMessageLimit ?? 2;
        endpointConfigurator.UseMessageRetry(r => r.Intervals(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5)));
    }
}

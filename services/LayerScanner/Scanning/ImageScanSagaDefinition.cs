using MassTransit;
using SupplyChainMesh.Persistence.Sagas;

namespace SupplyChainMesh.LayerScanner.Scanning;

public sealed class ImageScanSagaDefinition : SagaDefinition<ImageScanState>
{
    public ImageScanSagaDefinition() => EndpointName = "image-scan-saga";

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<ImageScanState> sagaConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseSagaConcurrencyRetry(context);
        endpointConfigurator.ConcurrentMessageLimit = 16;
    }
}

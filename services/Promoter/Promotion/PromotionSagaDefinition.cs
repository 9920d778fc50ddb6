using MassTransit;
using SupplyChainMesh.Persistence.Sagas;

namespace SupplyChainMesh.Promoter.Promotion;

public sealed class PromotionSagaDefinition : SagaDefinition<PromotionState>
{
    public PromotionSagaDefinition() => EndpointName = "promotion-saga";

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpointConfigurator, ISagaConfigurator<PromotionState> sagaConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseSagaConcurrencyRetry(context);
        endpointConfigurator.ConcurrentMessageLimit = 16;
    }
}

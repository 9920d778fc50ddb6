using MassTransit;
using SupplyChainMesh.Persistence.Inbox;

namespace SupplyChainMesh.PolicyEngine.Evaluation;

/// <summary>The <c>image-assessed</c> queue, behind the inbox: a redelivered message (same MessageId) is acknowledged without effect.</summary>
public sealed class ImageAssessedConsumerDefinition : ConsumerDefinition<ImageAssessedConsumer>
{
    public ImageAssessedConsumerDefinition(IConfiguration configuration)
    {
        ConcurrentMessageLimit = configuration.GetValue("PolicyEngine:MaxConcurrentEvaluations", 4);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ImageAssessedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseConsumeFilter(typeof(InboxFilter<>), context);
    }
}

using MassTransit;
using SupplyChainMesh.Persistence.Inbox;

namespace SupplyChainMesh.PolicyEngine.Evaluation;

/// <summary>
/// The <c>image-assessed</c> queue, behind the inbox: a redelivered message (same MessageId) is acknowledged without
/// effect. <c>PolicyEngine:EvaluationQueue</c> renames the queue (a test host takes its own, auto-deleted with
/// <c>PolicyEngine:TemporaryQueue</c>, so hosts running side by side each see every assessment).
/// </summary>
public sealed class ImageAssessedConsumerDefinition : ConsumerDefinition<ImageAssessedConsumer>
{
    private readonly bool _temporary;

    public ImageAssessedConsumerDefinition(IConfiguration configuration)
    {
        ConcurrentMessageLimit = configuration.GetValue("PolicyEngine:MaxConcurrentEvaluations", 4);
        if (configuration["PolicyEngine:EvaluationQueue"] is { Length: > 0 } queue) EndpointName = queue;
        _temporary = configuration.GetValue("PolicyEngine:TemporaryQueue", false);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ImageAssessedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (_temporary && endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.AutoDelete = true;
        endpointConfigurator.UseConsumeFilter(typeof(InboxFilter<>), context);
    }
}

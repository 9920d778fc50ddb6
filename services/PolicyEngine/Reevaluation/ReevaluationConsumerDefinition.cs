using MassTransit;
using SupplyChainMesh.Persistence.Inbox;

namespace SupplyChainMesh.PolicyEngine.Reevaluation;

/// <summary>
/// The <c>policy-reevaluation</c> queue, shared by the replicas (one of them re-evaluates), behind the inbox so a
/// redelivered notice is acknowledged without effect. <c>PolicyEngine:ReevaluationQueue</c> renames it (test hosts
/// take their own, auto-deleted with <c>PolicyEngine:TemporaryQueue</c>).
/// </summary>
public sealed class ReevaluationConsumerDefinition : ConsumerDefinition<ReevaluationConsumer>
{
    private readonly bool _temporary;

    public ReevaluationConsumerDefinition(IConfiguration configuration)
    {
        // Re-evaluations of many images are not run side by side: they would compete for the same rows.
        ConcurrentMessageLimit = 1;
        EndpointName = configuration["PolicyEngine:ReevaluationQueue"] is { Length: > 0 } queue ? queue : "policy-reevaluation";
        _temporary = configuration.GetValue("PolicyEngine:TemporaryQueue", false);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ReevaluationConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (_temporary && endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.AutoDelete = true;
        endpointConfigurator.UseConsumeFilter(typeof(InboxFilter<>), context);
    }
}

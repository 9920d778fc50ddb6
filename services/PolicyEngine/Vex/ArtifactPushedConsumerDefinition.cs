using MassTransit;
using SupplyChainMesh.Persistence.Inbox;

namespace SupplyChainMesh.PolicyEngine.Vex;

/// <summary>
/// The <c>policy-artifacts</c> queue, shared by the replicas (one of them announces the VEX), behind the inbox so a
/// redelivered push is acknowledged without effect. <c>PolicyEngine:ArtifactQueue</c> renames it (test hosts take
/// their own, auto-deleted with <c>PolicyEngine:TemporaryQueue</c>), like the evaluation and re-evaluation queues.
/// The name is PolicyEngine's own: MassTransit's default (<c>artifact-pushed</c>) says nothing of the service and would
/// be shared by any other service's consumer of the same name.
/// </summary>
public sealed class ArtifactPushedConsumerDefinition : ConsumerDefinition<ArtifactPushedConsumer>
{
    private readonly bool _temporary;

    public ArtifactPushedConsumerDefinition(IConfiguration configuration)
    {
        EndpointName = configuration["PolicyEngine:ArtifactQueue"] is { Length: > 0 } queue ? queue : "policy-artifacts";
        _temporary = configuration.GetValue("PolicyEngine:TemporaryQueue", false);
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ArtifactPushedConsumer> consumerConfigurator, IRegistrationContext context)
    {
        if (_temporary && endpointConfigurator is IRabbitMqReceiveEndpointConfigurator rabbit) rabbit.AutoDelete = true;
        endpointConfigurator.UseConsumeFilter(typeof(InboxFilter<>), context);
    }
}

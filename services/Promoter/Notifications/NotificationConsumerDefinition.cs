using MassTransit;
using SupplyChainMesh.Persistence.Inbox;

namespace SupplyChainMesh.Promoter.Notifications;

public sealed class NotificationConsumerDefinition : ConsumerDefinition<NotificationConsumer>
{
    public NotificationConsumerDefinition() => EndpointName = "promoter-notifications";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<NotificationConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseConsumeFilter(typeof(InboxFilter<>), context);
}

using MassTransit;
using SupplyChainMesh.Persistence.Inbox;

namespace SupplyChainMesh.Ingest.Timeline;

public sealed class ImageTimelineConsumerDefinition : ConsumerDefinition<ImageTimelineConsumer>
{
    public ImageTimelineConsumerDefinition() => EndpointName = "ingest-image-timeline";

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator, IConsumerConfigurator<ImageTimelineConsumer> consumerConfigurator, IRegistrationContext context) =>
        endpointConfigurator.UseConsumeFilter(typeof(InboxFilter<>), context);
}

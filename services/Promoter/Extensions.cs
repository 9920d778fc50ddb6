using MassTransit;
using SupplyChainMesh.Persistence.Sagas;
using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.Promoter.Infrastructure;
using SupplyChainMesh.Promoter.Notifications;
using SupplyChainMesh.Promoter.Promotion;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Promoter;

internal static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PromoterDbContext>(PromoterDbContext.Schema);
        builder.Services.AddOptions<PromoterOptions>().BindConfiguration(PromoterOptions.Section)
            .ValidateOutboundHosts(o => o.Registries.SelectMany((r, i) => new[]
            {
                new OutboundTarget($"Promoter:Registries:{i}:Source", r.Source, IsRegistry: true),
                new OutboundTarget($"Promoter:Registries:{i}:Target", r.Target, IsRegistry: true),
            }));
        builder.Services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddRegistryClientPool();
        builder.Services.AddScoped<RecordPromotionActivity>();
        builder.Services.AddHostedService<DeliverySender>();
        builder.AddMessaging(x =>
        {
            x.AddSagaStateMachine<PromotionStateMachine, PromotionState, PromotionSagaDefinition>()
                .EfCoreRepository<PromotionState, PromoterDbContext>();
            x.AddConsumer<PromoteImageConsumer, PromoteImageConsumerDefinition>();
            x.AddConsumer<NotificationConsumer, NotificationConsumerDefinition>();
        });
        return builder;
    }
}

using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SupplyChainMesh.ServiceDefaults;

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ (<c>RabbitMq:Uri</c>, e.g. <c>amqp://guest:guest@127.0.0.1:5673/</c>), with the mesh's
    /// delivery rules on every endpoint: immediate retries, then delayed retries, then the endpoint's <c>_error</c>
    /// queue (a fault of the database or the network is retried for minutes first, see
    /// <see cref="TransientInfrastructureFault"/>); the in-memory outbox so a consumer publishes nothing unless it
    /// succeeds. The delayed stage runs in process because Debian's RabbitMQ has no delayed-exchange plugin;
    /// <c>RabbitMq:DelayedExchange=true</c> uses the broker plugin instead (compose and Kubernetes images carry it).
    /// </summary>
    /// <param name="configureBus">A service's own broker topology (e.g. queues its published messages must reach even
    /// before their consumer ever ran), applied before the endpoints are configured.</param>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator> configure,
        Action<IBusRegistrationContext, IRabbitMqBusFactoryConfigurator>? configureBus = null)
    {
        var uri = builder.Configuration["RabbitMq:Uri"]
            ?? throw new InvalidOperationException("RabbitMq:Uri is not configured (env RabbitMq__Uri).");
        var delayedExchange = builder.Configuration.GetValue("RabbitMq:DelayedExchange", false);
        var prefetch = builder.Configuration.GetValue("RabbitMq:PrefetchCount", 16);

        builder.Services.AddMassTransit(x =>
        {
            x.SetKebabCaseEndpointNameFormatter();
            // MassTransit reports usage to usage-tracking.masstransit.io by default; our hosts make no such calls.
            x.DisableUsageTelemetry();
            if (delayedExchange) x.AddDelayedMessageScheduler();
            configure(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(uri), h =>
                {
                    h.ConnectionName(builder.Environment.ApplicationName);
                    // Publish/Send complete only once the broker has the message: said here, not left to a default.
                    h.PublisherConfirmation = true;
                });
                cfg.PrefetchCount = prefetch;
                if (delayedExchange)
                {
                    cfg.UseDelayedMessageScheduler();
                    cfg.UseDelayedRedelivery(r => r.Intervals(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)));
                }
                // A server restarting (PostgreSQL takes tens of seconds) outlasts the quick retries below; such faults, and
                // only those, are waited out for about three minutes before the message goes to the error queue.
                cfg.UseMessageRetry(r =>
                {
                    r.Handle<Exception>(TransientInfrastructureFault.Matches);
                    r.Intervals(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60),
                        TimeSpan.FromSeconds(60));
                });
                cfg.UseMessageRetry(r => r.Intervals(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromMilliseconds(500),
                    TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5)));
                cfg.UseInMemoryOutbox(context);
                configureBus?.Invoke(context, cfg);
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.AddSingleton(new RabbitMqHealthCheck(new Uri(uri)));
        builder.Services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", timeout: TimeSpan.FromSeconds(5));
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(25);
        });
        return builder;
    }
}

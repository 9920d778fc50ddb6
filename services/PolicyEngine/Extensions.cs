using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.PolicyEngine.Admission;
using SupplyChainMesh.PolicyEngine.Assessments;
using SupplyChainMesh.PolicyEngine.Evaluation;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.PolicyEngine.Reevaluation;
using SupplyChainMesh.PolicyEngine.Vex;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.PolicyEngine;

internal static class Extensions
{
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<PolicyDbContext>(PolicyDbContext.Schema);
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        builder.Services.AddSingleton(TimeProvider.System);

        // The assessment of an image comes from FeedSync, which owns the vulnerability reports.
        var feedSync = builder.Configuration["Services:FeedSync"] ?? "http://127.0.0.1:8083";
        builder.Services.AddHttpClient<IAssessmentSource, FeedSyncAssessmentSource>(c => c.BaseAddress = new Uri(feedSync.TrimEnd('/') + "/"))
            .AddServiceIdentity();

        // VEX attached to images as OCI referrers: one client per registry, few retries (the look-up has its own timeout).
        builder.Services.AddOptions<ReferrerVexOptions>().BindConfiguration(ReferrerVexOptions.Section);
        builder.Services.AddOptions<RegistrySettings>().BindConfiguration(RegistrySettings.Section);
        builder.Services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<IOptions<RegistrySettings>>().Value;
            var timeout = sp.GetRequiredService<IOptions<ReferrerVexOptions>>().Value.Timeout;
            var allowList = sp.GetRequiredService<OutboundAllowList>();
            return new RegistryClientPool(r =>
            {
                var options = settings.OptionsFor(r);
                options.ConnectCallback = allowList.ConnectAsync;
                options.MaxRetries = Math.Min(options.MaxRetries, 1);
                options.RequestTimeout = timeout < options.RequestTimeout ? timeout : options.RequestTimeout;
                return options;
            });
        });
        builder.Services.AddSingleton<ReferrerVexSource>();

        builder.Services.AddSingleton<DocumentCache>();
        builder.Services.AddScoped<PolicyInputs>();
        builder.Services.AddScoped<ImageEvaluator>();
        builder.Services.AddHostedService<ExceptionExpiryWatcher>();
        builder.Services.AddSingleton<VerdictCache>();
        builder.Services.AddSingleton<StoredVerdictLookup>();
        builder.Services.AddOptions<AdmissionOptions>().BindConfiguration(AdmissionOptions.Section);
        builder.Services.AddSingleton<AdmissionRules>();

        builder.AddMessaging(x =>
        {
            x.AddConsumer<ImageAssessedConsumer, ImageAssessedConsumerDefinition>();
            x.AddConsumer<ReevaluationConsumer, ReevaluationConsumerDefinition>();
            x.AddConsumer<ArtifactPushedConsumer, ArtifactPushedConsumerDefinition>();
            // Every replica its own temporary queue: each drops its caches on every change and verdict.
            x.AddConsumer<CacheInvalidationConsumer>().Endpoint(e =>
            {
                e.Name = "policy-caches";
                e.InstanceId = Guid.NewGuid().ToString("N")[..12];
                e.Temporary = true;
            });
        });
        return builder;
    }
}

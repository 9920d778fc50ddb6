using System.Text.Json.Serialization;
using MassTransit;
using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.PolicyEngine.Admission;
using SupplyChainMesh.PolicyEngine.Assessments;
using SupplyChainMesh.PolicyEngine.Evaluation;
using SupplyChainMesh.PolicyEngine.Infrastructure;
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
        builder.Services.AddHttpClient<IAssessmentSource, FeedSyncAssessmentSource>(c => c.BaseAddress = new Uri(feedSync.TrimEnd('/') + "/"));

        builder.Services.AddSingleton<DocumentCache>();
        builder.Services.AddScoped<PolicyInputs>();
        builder.Services.AddSingleton<VerdictCache>();
        builder.Services.AddSingleton<StoredVerdictLookup>();
        builder.Services.AddSingleton<AdmissionRules>();

        builder.AddMessaging(x => x.AddConsumer<ImageAssessedConsumer, ImageAssessedConsumerDefinition>());
        return builder;
    }
}

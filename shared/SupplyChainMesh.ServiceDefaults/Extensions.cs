using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace SupplyChainMesh.ServiceDefaults;

/// <summary>What every SupplyChainMesh host gets: JSON logs, OpenTelemetry, health endpoints, resilient HttpClients,
/// graceful shutdown. Configuration comes from appsettings*.json and environment variables (the host's defaults).</summary>
public static class Extensions
{
    public const string LiveTag = "live";

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        // EF logs every lost optimistic race at Error; the retry that follows is the real story.
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Critical);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Update", LogLevel.Critical);

        builder.ConfigureOpenTelemetry();

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        // In-flight messages and requests get this long to finish on SIGTERM.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddProblemDetails();
        builder.Services.AddDefaultOpenApi();
        // Registries and feeds only on configured hosts (Outbound:AllowedHosts): see OutboundAllowList.
        builder.Services.AddSingleton(sp => OutboundAllowList.FromConfiguration(sp.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>()));
        return builder;
    }

    public static IHostApplicationBuilder ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("MassTransit", "SupplyChainMesh.*", "Npgsql"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, "MassTransit", "SupplyChainMesh.*")
                .AddAspNetCoreInstrumentation(o => o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health"))
                .AddHttpClientInstrumentation()
                .AddEntityFrameworkCoreInstrumentation()
                .AddNpgsql());

        // OTLP only when an endpoint is configured (OTEL_EXPORTER_OTLP_ENDPOINT), so local runs stay quiet.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            otel.UseOtlpExporter();
        return builder;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: every dependency (broker, database) answers.
    /// <c>/openapi/v1.json</c>: the host's OpenAPI document.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = r => r.Tags.Contains(LiveTag) });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = _ => true,
            // A bus that lost its broker reports Degraded: for readiness that is not ready.
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapDefaultOpenApi();
        return app;
    }
}

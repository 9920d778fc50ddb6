using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Ingest.Webhooks;

namespace SupplyChainMesh.Ingest.Apis;

/// <summary>Where registries report pushes: the CNCF Distribution registry's notifications and Harbor's webhooks.</summary>
public static class RegistryEventsApi
{
    /// <param name="Removed">Catalogue tag heads taken off by delete events.</param>
    public sealed record Receipt(int Accepted, int Duplicates, int Ignored, int Removed = 0);

    public static IEndpointRouteBuilder MapRegistryEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/registry").AddEndpointFilter<WebhookSecretFilter>().WithTags("Registry events");
        api.MapPost("/events", (HttpRequest request, PushRecorder recorder, IOptions<IngestOptions> options, ILogger<PushRecorder> logger, CancellationToken ct) =>
            HandleAsync(EnvelopeReader.ReadDistributionAsync(request.Body, options.Value.DefaultRegistry, ct), recorder, logger, ct));
        api.MapPost("/harbor-events", (HttpRequest request, PushRecorder recorder, IOptions<IngestOptions> options, ILogger<PushRecorder> logger, CancellationToken ct) =>
            HandleAsync(EnvelopeReader.ReadHarborAsync(request.Body, options.Value.DefaultRegistry, ct), recorder, logger, ct));
        return app;
    }

    internal static async Task<Results<Ok<Receipt>, ProblemHttpResult>> HandleAsync(
        Task<EnvelopeReader.Result> reading, PushRecorder recorder, ILogger logger, CancellationToken ct)
    {
        var result = await reading;
        if (result.Error is not null)
        {
            logger.LogWarning("Malformed registry notification refused: {Reason}", result.Error);
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed notification", detail: result.Error);
        }
        foreach (var reason in result.IgnoredReasons)
            PushRecorder.Ignored.Add(1, new KeyValuePair<string, object?>("reason", reason));

        var (accepted, removed) = (0, 0);
        try
        {
            // Deletes after pushes: a delete takes off only heads not moved after it happened, so a push that came
            // after a delete in the same envelope keeps its tag.
            foreach (var push in result.Pushes)
            {
                if (await recorder.RecordAsync(push, ct)) accepted++;
            }
            foreach (var delete in result.Deletes)
                removed += await recorder.RemoveAsync(delete, ct);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            // The registry re-sends a notification that did not get a 2xx: nothing is lost by refusing now.
            logger.LogError(ex, "Could not record a push durably; answering 503 so the registry retries");
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Not recorded",
                detail: "The message broker or the database is unavailable; retry later.");
        }
        return TypedResults.Ok(new Receipt(accepted, result.Pushes.Count - accepted, result.Ignored, removed));
    }

    /// <summary>The broker or the database did not take the push: the caller should retry later (503).</summary>
    internal static bool IsUnavailable(Exception ex) =>
        ex is MassTransit.MassTransitException or TimeoutException or OperationCanceledException or Npgsql.NpgsqlException;
}

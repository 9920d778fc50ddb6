using System.Text.Json.Serialization;

namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>The CNCF Distribution registry's notification envelope (<c>application/vnd.docker.distribution.events.v1+json</c>).</summary>
public sealed record DistributionEnvelope([property: JsonPropertyName("events")] IReadOnlyList<DistributionEvent>? Events);

public sealed record DistributionEvent(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("timestamp")] DateTimeOffset? Timestamp,
    [property: JsonPropertyName("action")] string? Action,
    [property: JsonPropertyName("target")] DistributionTarget? Target,
    [property: JsonPropertyName("request")] DistributionRequest? Request,
    [property: JsonPropertyName("actor")] DistributionActor? Actor);

public sealed record DistributionTarget(
    [property: JsonPropertyName("mediaType")] string? MediaType,
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("repository")] string? Repository,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("tag")] string? Tag);

public sealed record DistributionRequest([property: JsonPropertyName("host")] string? Host);

public sealed record DistributionActor([property: JsonPropertyName("name")] string? Name);

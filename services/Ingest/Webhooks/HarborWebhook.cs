using System.Text.Json.Serialization;

namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>Harbor's webhook payload (v2 "Default" format); only <c>PUSH_ARTIFACT</c> is acted on.</summary>
public sealed record HarborWebhook(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("occur_at")] long? OccurAt,
    [property: JsonPropertyName("operator")] string? Operator,
    [property: JsonPropertyName("event_data")] HarborEventData? EventData);

public sealed record HarborEventData(
    [property: JsonPropertyName("resources")] IReadOnlyList<HarborResource>? Resources,
    [property: JsonPropertyName("repository")] HarborRepository? Repository);

public sealed record HarborResource(
    [property: JsonPropertyName("digest")] string? Digest,
    [property: JsonPropertyName("tag")] string? Tag,
    [property: JsonPropertyName("resource_url")] string? ResourceUrl);

public sealed record HarborRepository([property: JsonPropertyName("repo_full_name")] string? RepoFullName);

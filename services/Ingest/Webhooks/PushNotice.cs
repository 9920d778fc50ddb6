namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>A manifest push as any source reports it, validated: what <see cref="PushRecorder"/> records and publishes.</summary>
public sealed record PushNotice(
    string EventId,
    string Registry,
    string Repository,
    string Tag,
    string Digest,
    string MediaType,
    DateTimeOffset PushedAt,
    string Source,
    string? Actor);

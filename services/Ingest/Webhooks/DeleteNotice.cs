namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>A manifest deleted by digest (every tag on it goes) or a tag deleted, as a registry reports it: exactly one
/// of <see cref="Digest"/> and <see cref="Tag"/> is set.</summary>
public sealed record DeleteNotice(string EventId, string Registry, string Repository, string? Digest, string? Tag, DateTimeOffset At);

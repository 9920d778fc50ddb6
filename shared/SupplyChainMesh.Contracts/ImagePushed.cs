namespace SupplyChainMesh.Contracts;

/// <summary>A manifest (image or index) was pushed. Published by Ingest once per (repository, digest, tag) and event id;
/// consumed by the scan saga (LayerScanner).</summary>
public sealed record ImagePushed
{
    public required ImageIdentity Image { get; init; }

    /// <summary>The manifest's media type (OCI/Docker manifest or index).</summary>
    public required string MediaType { get; init; }

    public required DateTimeOffset PushedAt { get; init; }

    /// <summary>Where the push was learned from: <c>distribution</c>, <c>harbor</c> or <c>api</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The registry's event id (dedupe key), or a generated one for API requests.</summary>
    public required string EventId { get; init; }

    /// <summary>Who pushed, when the registry says.</summary>
    public string? Actor { get; init; }
}

namespace SupplyChainMesh.Ingest.Model;

/// <summary>One accepted manifest push: the catalogue's history. Unique per (registry, repository, digest, tag), which
/// is the second dedupe key after the registry's event id.</summary>
public sealed class ImagePush
{
    public long Id { get; set; }
    public required string Registry { get; set; }
    public required string Repository { get; set; }
    public required string Tag { get; set; }
    public required string Digest { get; set; }
    public required string MediaType { get; set; }
    public required string Source { get; set; }
    public required string EventId { get; set; }
    public string? Actor { get; set; }
    public DateTimeOffset PushedAt { get; set; }
}

/// <summary>Which digest a tag points to now.</summary>
public sealed class TagHead
{
    public required string Registry { get; set; }
    public required string Repository { get; set; }
    public required string Tag { get; set; }
    public required string Digest { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>A registry event id already handled (the registry re-sends on failure).</summary>
public sealed class ReceivedEvent
{
    public required string EventId { get; set; }
    public DateTimeOffset ReceivedAt { get; set; }
}

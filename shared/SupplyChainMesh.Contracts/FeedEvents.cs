namespace SupplyChainMesh.Contracts;

/// <summary>A feed import changed records. Published by FeedSync after the import committed.</summary>
public sealed record FeedUpdated
{
    public required string Source { get; init; }

    public required int Added { get; init; }

    public required int Changed { get; init; }

    public required int Withdrawn { get; init; }

    public required DateTimeOffset ImportedAt { get; init; }
}

/// <summary>A feed change made an already stored image vulnerable to more than before. One per image per burst of
/// changes. Published by FeedSync; consumed by notification subscribers.</summary>
public sealed record NewVulnerabilitiesFound
{
    public required ImageIdentity Image { get; init; }

    public required IReadOnlyList<string> VulnerabilityIds { get; init; }

    public required string Source { get; init; }

    public required DateTimeOffset FoundAt { get; init; }
}

namespace SupplyChainMesh.Contracts;

/// <summary>An image's inventory was matched against the feeds: after a scan, or again after a feed change.
/// Published by FeedSync; consumed by PolicyEngine.</summary>
public sealed record ImageAssessed
{
    public required ImageIdentity Image { get; init; }

    /// <summary>Id of the stored vulnerability report.</summary>
    public required Guid ReportId { get; init; }

    public required SeverityCounts Counts { get; init; }

    public int KevCount { get; init; }

    public int FixableCount { get; init; }

    public required DateTimeOffset AssessedAt { get; init; }

    /// <summary><c>scan</c> or <c>feed-update</c>.</summary>
    public required string Trigger { get; init; }
}

public sealed record SeverityCounts(int Critical, int High, int Medium, int Low, int Negligible, int Unknown)
{
    public int Total => Critical + High + Medium + Low + Negligible + Unknown;
}

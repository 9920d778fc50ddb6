namespace SupplyChainMesh.Policy.Assessments;

/// <summary>A vulnerability feed the match used and when it was last refreshed.</summary>
public sealed record FeedState(string Name, DateTimeOffset UpdatedAt);

namespace SupplyChainMesh.Policy.Assessments;

/// <summary>
/// Everything the policy engine evaluates about one image: where it lives, when it was pushed, which feeds were used,
/// its inventory and its findings. A plain record set: the PolicyEngine service fills it from the scan and match results.
/// </summary>
public sealed record ImageAssessment
{
    /// <summary>The registry host, e.g. <c>registry.example.com:5000</c>.</summary>
    public string Registry { get; init; } = "";

    /// <summary>The repository path inside the registry, e.g. <c>dev/payments</c>.</summary>
    public required string Repository { get; init; }

    /// <summary>The tag that was pushed, or null when the image is known only by digest.</summary>
    public string? Tag { get; init; }

    /// <summary>The manifest digest, e.g. <c>sha256:…</c>.</summary>
    public required string ManifestDigest { get; init; }

    public DateTimeOffset? PushedAt { get; init; }

    public IReadOnlyList<FeedState> Feeds { get; init; } = [];

    public IReadOnlyList<AssessedPackage> Packages { get; init; } = [];

    public IReadOnlyList<Finding> Findings { get; init; } = [];
}

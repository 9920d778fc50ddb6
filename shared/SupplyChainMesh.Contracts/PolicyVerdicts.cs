namespace SupplyChainMesh.Contracts;

/// <summary>An image satisfies a promotion policy. Published by PolicyEngine; consumed by the promotion saga (Promoter).</summary>
public sealed record PolicySatisfied
{
    public required ImageIdentity Image { get; init; }

    public required Guid PolicyId { get; init; }

    public required string PolicyName { get; init; }

    public required string TargetRepository { get; init; }

    /// <summary>The tag the template produced.</summary>
    public required string TargetTag { get; init; }

    /// <summary><c>copy</c> or <c>move</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Hash of the inputs the verdict rests on: equal fingerprints mean nothing changed.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Who pushed the image, when the registry said (<see cref="ImagePushed.Actor"/>, carried by
    /// <see cref="ImageScanned.PushedBy"/>): recorded with the promotion next to the promoter's own identity.</summary>
    public string? PushedBy { get; init; }

    /// <summary>The promotion saga's correlation id: one per (policy, digest, target).</summary>
    public Guid PromotionId => DeterministicId.For("promotion", $"{PolicyId}/{Image.Registry}/{Image.Repository}@{Image.Digest}->{TargetRepository}:{TargetTag}");
}

/// <summary>An image fails a promotion policy, and why. Published by PolicyEngine for people and tools.</summary>
public sealed record PolicyViolated
{
    public required ImageIdentity Image { get; init; }

    public required Guid PolicyId { get; init; }

    public required string PolicyName { get; init; }

    public required IReadOnlyList<FailedCriterion> FailedCriteria { get; init; }

    public required string Fingerprint { get; init; }
}

public sealed record FailedCriterion(string Criterion, string Reason, IReadOnlyList<string> VulnerabilityIds);

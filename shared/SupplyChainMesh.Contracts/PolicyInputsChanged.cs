namespace SupplyChainMesh.Contracts;

/// <summary>
/// Something a verdict rests on changed in PolicyEngine: a policy was created, updated or deleted, an exception or a
/// VEX document was added, removed or expired. Published by PolicyEngine to itself: every replica drops its caches at
/// once, and one replica re-evaluates the stored images the change can affect (no rescan) and publishes
/// <see cref="PolicySatisfied"/>/<see cref="PolicyViolated"/> only where a verdict changed.
/// </summary>
public sealed record PolicyInputsChanged
{
    /// <summary><c>policy</c>, <c>exception</c> or <c>vex</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>The policy, exception or VEX document that changed.</summary>
    public required Guid Id { get; init; }

    /// <summary><c>created</c>, <c>updated</c>, <c>deleted</c> or <c>expired</c>.</summary>
    public required string Change { get; init; }

    /// <summary>
    /// The repository patterns (<c>dev/*</c>, <c>dev/app</c>) whose images the change can affect: a policy's source
    /// before and after the change, an exception's repository target. Empty means every image (a global exception, a
    /// VEX document). <see cref="Digest"/>, when set, narrows it to one image.
    /// </summary>
    public IReadOnlyList<string> Repositories { get; init; } = [];

    public string? Digest { get; init; }

    public required DateTimeOffset ChangedAt { get; init; }
}

namespace SupplyChainMesh.Policy.Promotion;

/// <summary>A policy that does not apply to the image (disabled, or another source repository), and why.</summary>
public sealed record SkippedPolicy(Guid PolicyId, string PolicyName, string Reason);

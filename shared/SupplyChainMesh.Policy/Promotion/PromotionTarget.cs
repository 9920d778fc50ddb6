namespace SupplyChainMesh.Policy.Promotion;

/// <summary>Where a satisfied policy promotes the image. <see cref="Tag"/> is null, with <see cref="Problem"/> saying why, when the template cannot render.</summary>
public sealed record PromotionTarget(string Repository, string? Tag, PromotionMode Mode, string? Problem = null);

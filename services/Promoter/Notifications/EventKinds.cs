namespace SupplyChainMesh.Promoter.Notifications;

/// <summary>The events a subscriber can ask for.</summary>
public static class EventKinds
{
    public const string ScanCompleted = "scan.completed";
    public const string ScanFailed = "scan.failed";
    public const string ImagePromoted = "image.promoted";
    public const string PromotionFailed = "promotion.failed";
    public const string VulnerabilitiesFound = "vulnerabilities.found";
    public const string PolicyViolated = "policy.violated";

    public static IReadOnlyList<string> All { get; } =
        [ScanCompleted, ScanFailed, ImagePromoted, PromotionFailed, VulnerabilitiesFound, PolicyViolated];
}

namespace SupplyChainMesh.Promoter.Notifications;

/// <summary>The events a subscriber can ask for.</summary>
public static class EventKinds
{
    public const string ScanCompleted = "scan.completed";
    public const string ScanFailed = "scan.failed";
    public const string ImagePromoted = "image.promoted";
    public const string PromotionFailed = "promotion.failed";
    /// <summary>A feed update taught the mesh vulnerabilities affecting a stored image (NewVulnerabilitiesFound).</summary>
    public const string VulnerabilitiesFound = "vulnerabilities.found";

    /// <summary>An image's scan was assessed and has vulnerabilities (ImageAssessed with trigger <c>scan</c> and a
    /// non-zero total): what a first scan finds, which <see cref="VulnerabilitiesFound"/> (feed-driven) never says.</summary>
    public const string ScanVulnerable = "scan.vulnerable";
    public const string PolicyViolated = "policy.violated";

    public static IReadOnlyList<string> All { get; } =
        [ScanCompleted, ScanFailed, ScanVulnerable, ImagePromoted, PromotionFailed, VulnerabilitiesFound, PolicyViolated];
}

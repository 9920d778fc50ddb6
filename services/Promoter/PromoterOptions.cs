namespace SupplyChainMesh.Promoter;

/// <summary>The <c>Promoter</c> configuration section.</summary>
public sealed class PromoterOptions
{
    public const string Section = "Promoter";

    /// <summary>Source registry host → target registry host, for promotions that cross registries
    /// (e.g. <c>"registry:5000": "release-registry:5000"</c>). Unmapped sources promote within their own registry,
    /// unless the policy's target repository names a host itself (<c>host:port/qa/app</c>).</summary>
    public IDictionary<string, string> Registries { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Attempts of one promotion before it ends in <c>PromotionFailed</c> (registry errors that may pass).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first back-off between attempts; doubled each time.</summary>
    public double RetryDelaySeconds { get; set; } = 2;

    /// <summary>Who promotions are recorded as, when no robot account is configured.</summary>
    public string Actor { get; set; } = "promoter";
}

namespace SupplyChainMesh.Promoter;

/// <summary>The <c>Promoter</c> configuration section.</summary>
public sealed class PromoterOptions
{
    public const string Section = "Promoter";

    /// <summary>Source registry host → target registry host, for promotions that cross registries
    /// (<c>Promoter:Registries:0:Source=registry:5000</c>, <c>...:Target=release:5000</c>; a list because configuration
    /// keys cannot hold the colon of <c>host:port</c>). Unmapped sources promote within their own registry, unless the
    /// policy's target repository names a host itself (<c>host:port/qa/app</c>).</summary>
    public IList<RegistryRoute> Registries { get; } = [];

    public string TargetRegistryFor(string source) =>
        Registries.FirstOrDefault(r => string.Equals(r.Source, source, StringComparison.OrdinalIgnoreCase))?.Target ?? source;

    /// <summary>Attempts of one promotion before it ends in <c>PromotionFailed</c> (registry errors that may pass).</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The first back-off between attempts; doubled each time.</summary>
    public double RetryDelaySeconds { get; set; } = 2;

    /// <summary>Who promotions are recorded as, when no robot account is configured.</summary>
    public string Actor { get; set; } = "promoter";
}

/// <summary>Promotions from <see cref="Source"/> go to <see cref="Target"/> (both <c>host[:port]</c>).</summary>
public sealed class RegistryRoute
{
    public string Source { get; set; } = "";
    public string Target { get; set; } = "";
}

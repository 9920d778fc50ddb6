using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Promoter.Notifications;

/// <summary>The <c>Notifications</c> configuration section.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Hosts subscribers may point at: <c>host</c> (default port only) or <c>host:port</c>. Empty means none: a subscriber URL
    /// is a request the mesh makes from inside the network (SSRF), so it must be allowed explicitly.</summary>
    public IList<string> AllowedHosts { get; } = [];

    /// <summary>Posts per delivery before it is given up.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>First back-off between posts; doubled each time.</summary>
    public double RetryDelaySeconds { get; set; } = 5;

    /// <summary>How often the sender looks for due deliveries.</summary>
    public double PollIntervalSeconds { get; set; } = 1;

    /// <summary>How long one post may take.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>The mesh's one outbound rule (<see cref="OutboundAllowList"/>) over this list: <c>host</c> allows the
    /// default port only, so a subscriber cannot reach another service on an allowed machine; loopback and metadata
    /// addresses only when listed exactly.</summary>
    public bool IsAllowed(Uri url) => new OutboundAllowList(AllowedHosts).Allows(url);
}

namespace SupplyChainMesh.Oci.Registry;

/// <summary>
/// How a service reaches registries (the <c>Registry</c> configuration section): <see cref="Url"/> names the mesh's
/// own registry (its scheme decides plain HTTP for that host, as compose runs it at <c>http://registry:5000</c>), and
/// <see cref="Username"/>/<see cref="Password"/> are a robot account's credentials, sent only to the hosts this
/// service is configured for (<see cref="Url"/>'s and <see cref="TrustedHosts"/>), never to a registry an event names.
/// </summary>
public sealed class RegistrySettings
{
    public const string Section = "Registry";

    /// <summary>The mesh's registry, e.g. <c>http://registry:5000</c>.</summary>
    public string? Url { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>Further hosts (<c>host:port</c>) that get the credentials.</summary>
    public IList<string> TrustedHosts { get; } = [];

    /// <summary>Further hosts spoken to over plain HTTP (loopback hosts always are).</summary>
    public IList<string> InsecureHosts { get; } = [];

    /// <summary>Seconds one registry request may wait for its response headers.</summary>
    public int RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Retries of one request on 429/5xx/timeouts inside the client.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary><c>host:port</c> of <see cref="Url"/>, or null.</summary>
    public string? DefaultRegistry => Uri.TryCreate(Url, UriKind.Absolute, out var uri) ? uri.Authority : null;

    /// <summary>The client options for one registry host.</summary>
    public RegistryClientOptions OptionsFor(string registry)
    {
        var isDefault = string.Equals(registry, DefaultRegistry, StringComparison.OrdinalIgnoreCase);
        var plain = (isDefault && Uri.TryCreate(Url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp)
            || InsecureHosts.Contains(registry, StringComparer.OrdinalIgnoreCase);
        var trusted = isDefault || TrustedHosts.Contains(registry, StringComparer.OrdinalIgnoreCase);
        var credentials = trusted && !string.IsNullOrEmpty(Username) ? new RegistryCredentials(Username, Password ?? "") : null;
        return new RegistryClientOptions
        {
            PlainHttp = plain ? true : null,
            Credentials = _ => credentials,
            RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds),
            MaxRetries = MaxRetries,
        };
    }
}

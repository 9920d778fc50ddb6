using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;

namespace SupplyChainMesh.ServiceDefaults;

/// <summary>
/// The hosts the mesh may call out to (SSRF guard): registries, feed URLs, notification subscribers. An entry is
/// <c>host</c> (the scheme's default port only), <c>host:port</c>, <c>*.example.com</c> (sub-domains, default port) or
/// <c>*</c> (any public host). Loopback, link-local (which holds the cloud metadata address 169.254.169.254),
/// unspecified addresses and metadata host names are refused unless listed exactly, so a wildcard never opens them.
/// The URL check sees names only; <see cref="ConnectAsync"/> checks the addresses a name resolves to when the
/// connection is made, so a listed name that points at loopback or the metadata service is refused as well.
/// </summary>
public sealed class OutboundAllowList
{
    /// <summary>Configuration of the registry and feed hosts every service may reach (<c>Outbound:AllowedHosts:0</c>).</summary>
    public const string Section = "Outbound:AllowedHosts";

    private static readonly string[] MetadataHostNames = ["metadata.google.internal", "metadata", "instance-data"];
    private static readonly IPAddress AwsMetadataV6 = IPAddress.Parse("fd00:ec2::254");

    private readonly HashSet<string> _exact;
    private readonly List<string> _suffixes;
    private readonly bool _anyPublic;

    /// <summary>Resolves a host name for <see cref="ConnectAsync"/> (tests substitute one).</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>> HostResolver { get; init; } = Dns.GetHostAddressesAsync;

    public OutboundAllowList(IEnumerable<string?> entries)
    {
        _exact = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        _suffixes = [];
        foreach (var raw in entries)
        {
            if (string.IsNullOrWhiteSpace(raw)) continue;
            var entry = raw.Trim();
            if (entry == "*") _anyPublic = true;
            else if (entry.StartsWith("*.", StringComparison.Ordinal)) _suffixes.Add(entry[1..]);
            else _exact.Add(entry);
        }
    }

    /// <summary>The registry and feed allow-list of a service: <c>Outbound:AllowedHosts</c>, plus the registry the
    /// operator configured for the mesh (<c>Registry:Url</c>) and the hosts trusted with its credentials
    /// (<c>Registry:TrustedHosts</c>).</summary>
    public static OutboundAllowList FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var entries = new List<string?>();
        entries.AddRange(configuration.GetSection(Section).Get<string[]>() ?? []);
        entries.AddRange(configuration.GetSection("Registry:TrustedHosts").Get<string[]>() ?? []);
        if (Uri.TryCreate(configuration["Registry:Url"], UriKind.Absolute, out var registry))
        {
            entries.Add(registry.Authority);
            entries.Add(registry.Host + ":" + registry.Port); // registries are named host:port in events
        }
        return new OutboundAllowList(entries);
    }

    /// <summary>Why a call to <paramref name="url"/> is refused, or null when it is allowed.</summary>
    public string? RefusalFor(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            return $"'{url}' is not an http(s) URL.";
        // Authority leaves out the scheme's default port: "hooks.example.com" allows 80/443 only; any other port must
        // be listed as host:port, so a caller cannot reach another service on an allowed machine.
        return RefusalFor(url.Authority, url.IdnHost, url.IsDefaultPort);
    }

    /// <summary>Why a call to the registry <paramref name="authority"/> (<c>host</c> or <c>host:port</c>, as image
    /// references name it) is refused, or null when it is allowed.</summary>
    public string? RefusalForRegistry(string authority)
    {
        if (string.IsNullOrWhiteSpace(authority) || !Uri.TryCreate("https://" + authority, UriKind.Absolute, out var url)
            || url.PathAndQuery != "/" || url.UserInfo.Length > 0)
            return $"'{authority}' is not a registry host.";
        return _exact.Contains(authority) ? null : RefusalFor(url.Authority, url.IdnHost, url.IsDefaultPort && !authority.Contains(':', StringComparison.Ordinal));
    }

    public bool Allows(Uri url) => RefusalFor(url) is null;

    private string? RefusalFor(string authority, string host, bool defaultPort)
    {
        if (_exact.Contains(authority)) return null;
        if (IsInternal(host))
            return $"'{authority}' is a loopback, link-local or metadata address; it must be listed explicitly on the allow-list.";
        if (defaultPort && (_anyPublic || _suffixes.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase)))) return null;
        return $"'{authority}' is not on the allow-list of outbound hosts.";
    }

    /// <summary>
    /// A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves the host itself and connects only when no address
    /// it resolves to is internal (<see cref="IsInternal(IPAddress)"/>), unless the host is listed exactly. The
    /// addresses checked are the ones connected to, so a second lookup (DNS rebinding) cannot swap them.
    /// </summary>
    /// <exception cref="OutboundAddressRefusedException">The name resolves to an internal address.</exception>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.DnsEndPoint;
        var host = endpoint.Host.Trim('[', ']');
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await HostResolver(host, cancellationToken).ConfigureAwait(false);
        var listed = _exact.Contains(endpoint.Host) || _exact.Contains($"{endpoint.Host}:{endpoint.Port}");
        if (!listed && addresses.FirstOrDefault(IsInternal) is { } refused)
            throw new OutboundAddressRefusedException(
                $"'{endpoint.Host}:{endpoint.Port}' resolves to {refused}, a loopback, link-local or metadata address; list the host exactly to allow it.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Loopback, link-local (169.254.0.0/16 holds the metadata service), unspecified, or a metadata name.</summary>
    public static bool IsInternal(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var bare = host.Trim('[', ']').TrimEnd('.');
        if (bare.Equals("localhost", StringComparison.OrdinalIgnoreCase) || bare.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
            || MetadataHostNames.Contains(bare, StringComparer.OrdinalIgnoreCase))
            return true;
        return IPAddress.TryParse(bare, out var address) && IsInternal(address);
    }

    /// <summary>Loopback, link-local (169.254.0.0/16 holds the metadata service), unspecified, or AWS's IPv6 metadata address.</summary>
    public static bool IsInternal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.Equals(AwsMetadataV6);
        var bytes = address.GetAddressBytes();
        return bytes[0] == 169 && bytes[1] == 254;
    }
}

/// <summary>An outbound connection was refused because its host resolved to an internal address (SSRF guard).</summary>
public sealed class OutboundAddressRefusedException(string message) : IOException(message);

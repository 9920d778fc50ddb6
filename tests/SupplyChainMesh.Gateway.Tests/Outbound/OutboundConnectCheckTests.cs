using System.Net;
using System.Net.Sockets;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Gateway.Tests.Outbound;

/// <summary>
/// The allow-list's connect-time check (<see cref="OutboundAllowList.ConnectAsync"/>) on real sockets: a name allowed by
/// a wildcard that resolves to loopback or the metadata address is refused; the same name listed exactly connects.
/// Name resolution is substituted (the names are invented), the connections are real.
/// </summary>
public sealed class OutboundConnectCheckTests : IDisposable
{
    private readonly TcpListener _server = new(IPAddress.Loopback, 0);

    public OutboundConnectCheckTests()
    {
        _server.Start();
        _ = AnswerAsync();
    }

    public void Dispose() => _server.Dispose();

    private int Port => ((IPEndPoint)_server.LocalEndpoint).Port;

    /// <summary>A minimal registry: every connection gets <c>200</c> to <c>GET /v2/</c>.</summary>
    private async Task AnswerAsync()
    {
        try
        {
            while (true)
            {
                using var client = await _server.AcceptTcpClientAsync();
                var stream = client.GetStream();
                var buffer = new byte[4096];
                _ = await stream.ReadAsync(buffer);
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"u8.ToArray());
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // The listener was disposed with the test.
        }
    }

    private static OutboundAllowList List(string entry, string resolvesTo) => new([entry])
    {
        HostResolver = (_, _) => Task.FromResult(new[] { IPAddress.Parse(resolvesTo) }),
    };

    private async Task<HttpResponseMessage> GetAsync(OutboundAllowList list, string host)
    {
        using var http = new HttpClient(new SocketsHttpHandler { ConnectCallback = list.ConnectAsync });
        return await http.GetAsync(new Uri($"http://{host}:{Port}/v2/"));
    }

    [Fact]
    public async Task A_public_name_resolving_to_loopback_is_refused_even_under_a_wildcard()
    {
        var list = List("*.example.com", "127.0.0.1");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(list, "registry.example.com"));
        var refused = Assert.IsType<OutboundAddressRefusedException>(error.InnerException);
        Assert.Contains("resolves to 127.0.0.1", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("fe80::1")]
    public async Task Names_resolving_to_metadata_or_link_local_addresses_are_refused(string address)
    {
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync(List("*", address), "feeds.example.org"));
        Assert.IsType<OutboundAddressRefusedException>(error.InnerException);
    }

    [Fact]
    public async Task A_name_listed_exactly_may_resolve_to_loopback()
    {
        using var response = await GetAsync(List("registry.internal.test", "127.0.0.1"), "registry.internal.test");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_listed_loopback_address_connects_without_resolution()
    {
        var list = new OutboundAllowList([$"127.0.0.1:{Port}"]) { HostResolver = (_, _) => throw new InvalidOperationException("no lookup for an address") };
        using var response = await GetAsync(list, "127.0.0.1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task The_registry_client_refuses_the_name_with_a_clear_error()
    {
        var list = List("*.example.com", "169.254.169.254");
        var settings = new RegistrySettings { MaxRetries = 0 };
        using var pool = new RegistryClientPool(settings, list.ConnectAsync);
        var client = pool.For($"registry.example.com:{Port}");
        var error = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync("dev/app", "latest"));
        Assert.Contains("169.254.169.254", error.Message, StringComparison.Ordinal);
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Oci.Tests.Infrastructure;

namespace SupplyChainMesh.Oci.Tests.Registry;

/// <summary>Registries that hang, stall, fail transiently, want Bearer tokens or redirect blobs elsewhere.</summary>
public class RegistryFaultTests(FakeRegistryServer server) : IClassFixture<FakeRegistryServer>
{
    private RegistryClient Client(RegistryCredentials? credentials = null, int retries = 3) => new(server.Host, new RegistryClientOptions
    {
        MaxRetries = retries,
        InitialRetryDelay = TimeSpan.FromMilliseconds(10),
        RequestTimeout = TimeSpan.FromSeconds(10),
        ReadIdleTimeout = TimeSpan.FromMilliseconds(500),
        Credentials = _ => credentials,
    });

    [Fact]
    public async Task A_registry_that_accepts_and_never_answers_ends_in_RegistryTimeoutException_after_retrying()
    {
        var port = TestPorts.Take();
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var accepted = new ConcurrentQueue<Socket>();
        var acceptLoop = Task.Run(async () =>
        {
            try
            {
                while (true) accepted.Enqueue(await listener.AcceptSocketAsync());
            }
            catch (SocketException) { }
            catch (ObjectDisposedException) { }
        });
        using var client = new RegistryClient($"127.0.0.1:{port}", new RegistryClientOptions
        {
            RequestTimeout = TimeSpan.FromMilliseconds(300),
            MaxRetries = 1,
            InitialRetryDelay = TimeSpan.FromMilliseconds(10),
        });

        var ex = await Assert.ThrowsAsync<RegistryTimeoutException>(() => client.GetManifestAsync("dev/app", "latest"));
        Assert.Contains("did not answer", ex.Message, StringComparison.Ordinal);
        // The retry's connection completes in the kernel's backlog; the accept loop may take it only
        // after the client has already given up, so wait for it (bounded) before closing the listener.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (accepted.Count < 2 && DateTime.UtcNow < deadline) await Task.Delay(20);
        listener.Stop();
        await acceptLoop;
        Assert.True(accepted.Count >= 2, $"expected a retry on a new connection, saw {accepted.Count}");
        foreach (var s in accepted) s.Dispose();
    }

    [Fact]
    public async Task Two_503s_then_success_is_retried_to_success()
    {
        using var client = Client();
        var manifest = await client.GetManifestAsync("flaky2", "latest");
        Assert.Equal(server.ManifestDigest, manifest.Digest);
        Assert.Equal(3, server.Hits["flaky2"]);
    }

    [Fact]
    public async Task Failures_beyond_the_retry_limit_surface_with_status_and_code()
    {
        using var client = Client(retries: 2);
        var ex = await Assert.ThrowsAsync<RegistryException>(() => client.GetManifestAsync("limited", "latest"));
        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.True(ex.HasCode(RegistryErrorCodes.TooManyRequests));
        Assert.Equal(3, server.Hits["limited"]);
    }

    [Fact]
    public async Task A_blob_body_that_stalls_ends_in_RegistryTimeoutException()
    {
        using var client = Client();
        await using var stream = await client.OpenBlobAsync("stall", "sha256:" + new string('b', 64), 1000);
        await Assert.ThrowsAsync<RegistryTimeoutException>(() => stream.DrainAsync());
    }

    [Fact]
    public async Task Bearer_challenge_fetches_a_scoped_token_caches_it_and_refreshes_after_revocation()
    {
        using var client = Client(new RegistryCredentials(FakeRegistryServer.User, FakeRegistryServer.Password));
        var before = server.TokenRequests.Count;

        Assert.Equal(server.ManifestDigest, (await client.GetManifestAsync("secure/app", "latest")).Digest);
        Assert.Equal(before + 1, server.TokenRequests.Count);
        var query = server.TokenRequests.Last();
        Assert.Contains("service=fake-registry", query, StringComparison.Ordinal);
        Assert.Contains("scope=repository%3Asecure%2Fapp%3Apull", query, StringComparison.Ordinal);

        await client.GetManifestAsync("secure/app", "latest");
        Assert.Equal(before + 1, server.TokenRequests.Count); // cached

        server.ValidTokens.Clear(); // the registry no longer accepts it: 401, new token, success
        Assert.Equal(server.ManifestDigest, (await client.GetManifestAsync("secure/app", "latest")).Digest);
        Assert.Equal(before + 2, server.TokenRequests.Count);
    }

    [Fact]
    public async Task Bearer_token_refused_for_wrong_credentials_is_a_typed_auth_error()
    {
        using var client = Client(new RegistryCredentials(FakeRegistryServer.User, "wrong"));
        var ex = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => client.GetManifestAsync("secure/app", "latest"));
        Assert.True(ex.HasCode(RegistryErrorCodes.Unauthorized));
        using var anonymous = Client();
        await Assert.ThrowsAsync<RegistryAuthenticationException>(() => anonymous.GetManifestAsync("secure/app", "latest"));
    }

    [Fact]
    public async Task Blob_redirect_to_another_origin_is_followed_without_the_Authorization_header()
    {
        using var client = Client(new RegistryCredentials(FakeRegistryServer.User, FakeRegistryServer.Password));
        var manifest = ManifestDocument.Parse(server.Manifest).Manifest!;
        await using var config = await client.OpenBlobAsync("redirect/app", manifest.Config);
        await config.DrainAsync();
        Assert.True(config.Verified);
        Assert.Contains(server.RegistryAuthorization, a => a!.StartsWith("Basic ", StringComparison.Ordinal));
        Assert.NotEmpty(server.StorageAuthorization);
        Assert.All(server.StorageAuthorization, Assert.Null);
    }
}

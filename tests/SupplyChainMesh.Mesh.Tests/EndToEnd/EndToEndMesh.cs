using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.EndToEnd;

/// <summary>
/// The whole mesh as production runs it: a registry of its own that notifies Ingest, the real RabbitMQ (a virtual host of
/// its own) and PostgreSQL (a database of its own), and Ingest, two LayerScanners, FeedSync (importing the real feeds
/// from the shared corpus), PolicyEngine and Promoter as separate processes. RabbitMQ and PostgreSQL are reached through
/// <see cref="TcpProxy"/>s so a test can cut them (to the services, a restart of the server) without disturbing the
/// other test assemblies that share the servers.
/// </summary>
public sealed class EndToEndMesh : IAsyncLifetime
{
    public const string WebhookSecret = "scm-e2e-webhook-secret";
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromMinutes(3);
    private readonly string _instance = $"e2e{Guid.NewGuid():N}"[..11];
    private readonly Dictionary<string, ServiceProcess> _services = [];
    private DistributionRegistry? _registry;

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public TcpProxy Broker { get; private set; } = null!;

    public TcpProxy Database { get; private set; } = null!;

    public DistributionRegistry Registry => _registry ?? throw new InvalidOperationException("not started");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public ServiceProcess this[string service] => _services[service];


    public async Task InitializeAsync()
    {
        var rabbit = new Uri(await BackingServices.FreshVirtualHostAsync(_instance));
        var postgres = new Npgsql.NpgsqlConnectionStringBuilder(await BackingServices.FreshDatabaseAsync(_instance));
        Broker = new TcpProxy(rabbit.Host, rabbit.Port);
        Database = new TcpProxy(postgres.Host!, postgres.Port);
        var rabbitViaProxy = new UriBuilder(rabbit) { Host = "127.0.0.1", Port = Broker.Port }.Uri.ToString();
        var (directHost, directPort) = (postgres.Host!, postgres.Port);
        postgres.Host = "127.0.0.1";
        postgres.Port = Database.Port;

        var ports = new Dictionary<string, int>
        {
            ["Ingest"] = FreePort.Next(),
            ["LayerScanner"] = FreePort.Next(),
            ["LayerScanner2"] = FreePort.Next(),
            ["FeedSync"] = FreePort.Next(),
            ["PolicyEngine"] = FreePort.Next(),
            ["Promoter"] = FreePort.Next(),
        };
        _registry = await DistributionRegistry.StartAsync(FreePort.Next(), new()
        {
            NotifyUrl = new Uri($"http://127.0.0.1:{ports["Ingest"]}/api/registry/events"),
            NotifySecret = WebhookSecret,
        });

        var environment = new Dictionary<string, string>
        {
            ["RabbitMq__Uri"] = rabbitViaProxy,
            ["ConnectionStrings__Postgres"] = postgres.ConnectionString,
            ["Registry__Url"] = $"http://{Registry.Host}",
            ["Ingest__WebhookSecret"] = WebhookSecret,
            ["Ingest__DefaultRegistry"] = Registry.Host,
            ["FeedSync__MirrorRoot"] = RepositoryLayout.Feeds,
            ["Notifications__AllowedHosts__0"] = "127.0.0.1",
            ["OTEL_SDK_DISABLED"] = "true",
            // One layer at a time per scanner process, so the broker spreads an image's layers over both processes.
            ["Scanner__MaxConcurrentLayers"] = "1",
        };
        foreach (var (service, port) in ports)
            if (service != "LayerScanner2") environment[$"Services__{service}"] = $"http://127.0.0.1:{port}";

        // FeedSync bulk-loads the whole corpus with binary COPY at start; through the test's TCP proxy that takes
        // minutes instead of seconds, so it talks to PostgreSQL directly (the database fault is tested on the others).
        var feedSyncEnvironment = new Dictionary<string, string>(environment)
        {
            ["ConnectionStrings__Postgres"] = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString)
            {
                Host = directHost,
                Port = directPort,
            }.ConnectionString,
        };
        foreach (var (name, port) in ports)
        {
            var program = name == "LayerScanner2" ? "LayerScanner" : name;
            _services[name] = new ServiceProcess(program, port, name == "FeedSync" ? feedSyncEnvironment : environment, _instance);
        }
        // Ingest first: it applies its migrations while the others start; then the rest side by side.
        await _services["Ingest"].StartAsync(ReadyWithin);
        await Task.WhenAll(_services.Values.Where(s => s != _services["Ingest"]).Select(s => s.StartAsync(ReadyWithin)));
        await WaitForFeedsAsync();
    }

    /// <summary>FeedSync imports the mirror on start; the pipeline only means something once every feed is in.</summary>
    private async Task WaitForFeedsAsync()
    {
        await Eventually.HoldsAsync(async () =>
        {
            var feeds = await GetJsonAsync<JsonArray>("FeedSync", "api/feeds");
            return feeds is { Count: > 0 } && feeds.All(f => f?["lastSuccessAt"] is not null && f["lastSuccessAt"]!.GetValueKind() != JsonValueKind.Null);
        }, TimeSpan.FromMinutes(8), "every feed source imported once", () => _services["FeedSync"].Tail());
    }

    private readonly SemaphoreSlim _sampleGate = new(1, 1);
    private bool _sampleApplied;

    /// <summary>The sample policy and exception of the local stack (infra/local/sample-*.json), through the real API, once.</summary>
    public async Task EnsureSamplePolicyAsync()
    {
        await _sampleGate.WaitAsync();
        try
        {
            if (_sampleApplied) return;
            foreach (var (file, path) in new[] { ("sample-policy.json", "api/policies"), ("sample-exception.json", "api/exceptions") })
            {
                var body = await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.RepositoryRoot, "infra", "local", file));
                using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
                using var response = await Http.PostAsync(Url("PolicyEngine", path), content);
                Assert.True(response.IsSuccessStatusCode, $"POST {path} with {file}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            _sampleApplied = true;
        }
        finally
        {
            _sampleGate.Release();
        }
    }

    /// <summary>How long one image may take through the whole pipeline in a test.</summary>
    public static readonly TimeSpan PipelineWithin = TimeSpan.FromMinutes(3);

    /// <summary>Waits until the promoter has copied the image (the target tag holds the same digest) and recorded it:
    /// the record is written after the manifest PUT, so the registry shows the copy a moment earlier.</summary>
    public async Task WaitForPromotionAsync(string repository, string tag, string digest)
    {
        await Eventually.HoldsAsync(async () => await RegistryDigestAsync(repository, tag) == digest, PipelineWithin,
            $"{repository}:{tag} holds {digest}", () => Logs("Ingest", "LayerScanner", "FeedSync", "PolicyEngine", "Promoter"));
        await Eventually.HoldsAsync(async () => (await GetJsonAsync<JsonArray>("Promoter", $"api/promotions?digest={Uri.EscapeDataString(digest)}"))?
            .Any(p => p?["targetRepository"]?.GetValue<string>() == repository) == true, PipelineWithin,
            $"the promotion of {digest} to {repository} is recorded", () => Logs("Promoter"));
    }

    /// <summary>Waits until Ingest's catalogue lists the digest: the registry's event went through.</summary>
    public Task WaitRecordedByIngestAsync(string digest) =>
        Eventually.HoldsAsync(async () => (await GetJsonAsync<JsonNode>("Ingest", "api/images"))?.ToJsonString()
            .Contains(digest, StringComparison.Ordinal) == true, PipelineWithin, $"Ingest recorded {digest}", () => Logs("Ingest"));

    public Uri Url(string service, string path) => new(_services[service].BaseAddress, path);

    public async Task<T?> GetJsonAsync<T>(string service, string path)
    {
        using var response = await Http.GetAsync(Url(service, path));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound) return default;
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<T>(Json);
    }

    public async Task<HttpResponseMessage> PostJsonAsync(string service, string path, object body) =>
        await Http.PostAsJsonAsync(Url(service, path), body, Json);

    /// <summary>Pushes one of the built test images (an OCI layout tag) to this mesh's registry with skopeo.</summary>
    public async Task<string> PushAsync(string layoutTag, string repositoryAndTag)
    {
        await Skopeo.PushAsync(layoutTag, Registry.Host, repositoryAndTag);
        return await Skopeo.DigestAsync(Registry.Host, repositoryAndTag);
    }

    /// <summary>The manifest digest the registry holds for a tag, or null when there is none.</summary>
    public async Task<string?> RegistryDigestAsync(string repository, string tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri($"http://{Registry.Host}/v2/{repository}/manifests/{tag}"));
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.index.v1+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.list.v2+json");
        using var response = await Http.SendAsync(request);
        return response.IsSuccessStatusCode && response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.First() : null;
    }

    public string Logs(params string[] services) =>
        string.Join("\n", services.Select(s => $"--- {s} ({_services[s].LogPath}) ---\n{_services[s].Tail()}"));

    public async Task DisposeAsync()
    {
        foreach (var service in _services.Values) await service.DisposeAsync();
        if (_registry is not null) await _registry.DisposeAsync();
        await Broker.DisposeAsync();
        await Database.DisposeAsync();
        Http.Dispose();
        _sampleGate.Dispose();
    }
}

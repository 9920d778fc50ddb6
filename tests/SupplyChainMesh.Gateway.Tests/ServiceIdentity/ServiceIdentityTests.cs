using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.FeedSync.Feeds;
using SupplyChainMesh.FeedSync.Matching;
using SupplyChainMesh.Gateway.Tests.Identity;
using SupplyChainMesh.Gateway.Tests.OpenApi;
using SupplyChainMesh.Gateway.Tests.ServiceChecks;
using SupplyChainMesh.Ingest;
using SupplyChainMesh.Ingest.Timeline;
using SupplyChainMesh.LayerScanner.Infrastructure;
using SupplyChainMesh.LayerScanner.Scanning;
using SupplyChainMesh.PolicyEngine.Assessments;
using SupplyChainMesh.PolicyEngine.Model;
using SupplyChainMesh.ServiceDefaults;
using SupplyChainMesh.ServiceDefaults.ServiceIdentity;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Gateway.Tests.ServiceIdentity;

/// <summary>
/// Services calling each other directly with their robot's identity, all checks on: the real gateway (issuing the
/// identities) and the real hosts of the caller (its own wiring: Extensions.cs's typed client and
/// <see cref="ServiceIdentityHandler"/>) and the callee (configured with the gateway's certificate), on loopback
/// ports 9204, 9207, 9208, 9219.
/// </summary>
[Collection(GatewayStackCollection.Name)]
public sealed class ServiceIdentityTests(GatewayStack stack)
{
    private const string Secret = "service-identity-secret";

    [Fact]
    public async Task Ingests_timeline_shows_LayerScanners_progress_through_the_ingest_robots_identity()
    {
        await using var scanner = new ServiceHost<ImageScanState>(9207, await SettingsAsync("sid-scanner", checks: true));
        scanner.StartServer();
        await using var ingest = new ServiceHost<IngestOptions>(9208, await SettingsAsync("sid-ingest", checks: false, robot: ("ingest", stack.IngestToken)));
        ingest.StartServer();
        using var http = new HttpClient { BaseAddress = new Uri(ingest.Address) };

        // Ingest's own calls carry the ingest robot's identity: eight at once share one fetched identity (a second
        // only if the machine took longer than the 2.4 s a 3 s identity is reused for).
        var tokens = ingest.Services.GetRequiredService<ServiceTokenSource>();
        Assert.True(tokens.Enabled);
        Assert.Equal(0, tokens.Fetches);
        var concurrent = $"dev/sid-{Guid.NewGuid():N}"[..20];
        var concurrentDigest = ServiceAccessTests.RandomDigest();
        await AddScanAsync(scanner, BackingServices.Registry, concurrent, concurrentDigest, done: 2, total: 5);
        var views = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var scope = ingest.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ScanProgressClient>().FindAsync(BackingServices.Registry, concurrent, concurrentDigest, CancellationToken.None);
        }));
        Assert.All(views, v => Assert.Equal(2, v?.LayersDone));
        Assert.InRange(tokens.Fetches, 1, 2);

        var repository = $"dev/sid-{Guid.NewGuid():N}"[..20];
        var digest = ServiceAccessTests.RandomDigest();
        var registry = await PushAsync(http, repository, digest);
        await AddScanAsync(scanner, registry, repository, digest, done: 1, total: 3);

        // The scanner refuses a call without identity...
        using var anonymous = new HttpClient { BaseAddress = new Uri(scanner.Address) };
        using (var refused = await anonymous.GetAsync(new Uri($"/api/scans?repository={repository}&digest={digest}", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        // The timeline shows LayerScanner's 1 of 3 layers.
        var status = await StatusAsync(http, repository, digest);
        Assert.Equal("scanning", status["state"]!.GetValue<string>(), ignoreCase: true);
        Assert.Equal(1, status["scan"]!["layersDone"]!.GetValue<int>());
        Assert.Equal(3, status["scan"]!["layersTotal"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_robot_without_read_on_the_repository_is_refused_and_its_identity_is_read_only()
    {
        await using var scanner = new ServiceHost<ImageScanState>(9207, await SettingsAsync("sid-scanner-grants", checks: true));
        scanner.StartServer();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await AddScanAsync(scanner, BackingServices.Registry, $"dev/grants-{suffix}", ServiceAccessTests.RandomDigest(), done: 2, total: 2);
        await AddScanAsync(scanner, BackingServices.Registry, $"qa/grants-{suffix}", ServiceAccessTests.RandomDigest(), done: 2, total: 2);

        var (identity, grants) = await ServiceIdentityAsync("devreader", stack.DevReaderToken);
        Assert.Equal(["dev/*=read"], grants);
        using var http = new HttpClient { BaseAddress = new Uri(scanner.Address) };
        using (var qa = await GetAsync(http, $"/api/scans?repository=qa/grants-{suffix}", identity)) Assert.Equal(HttpStatusCode.Forbidden, qa.StatusCode);
        using (var dev = await GetAsync(http, $"/api/scans?repository=dev/grants-{suffix}", identity)) Assert.Equal(HttpStatusCode.OK, dev.StatusCode);
        // A list without a repository is filtered to what the robot may read.
        using (var all = await GetAsync(http, "/api/scans", identity))
        {
            var repositories = (await all.Content.ReadFromJsonAsync<JsonArray>())!.Select(s => s!["repository"]!.GetValue<string>()).ToList();
            Assert.Contains($"dev/grants-{suffix}", repositories);
            Assert.DoesNotContain($"qa/grants-{suffix}", repositories);
        }

        // The promoter robot may push to qa/* and prod/*; its service identity still only reads.
        var (_, promoterGrants) = await ServiceIdentityAsync("promoter", stack.PromoterToken);
        Assert.Equal(["dev/*=read", "prod/*=read", "qa/*=read"], promoterGrants.Order(StringComparer.Ordinal));

        // People get none (they come through the gateway), a wrong token gets none.
        using (var person = await ServiceTokenRequestAsync("dev1", stack.DeveloperPassword)) Assert.Equal(HttpStatusCode.Forbidden, person.StatusCode);
        using (var wrong = await ServiceTokenRequestAsync("devreader", stack.IngestToken)) Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task A_layer_is_readable_only_through_a_repository_the_caller_may_read()
    {
        await using var scanner = new ServiceHost<ImageScanState>(9207, await SettingsAsync("sid-scanner-layers", checks: true));
        scanner.StartServer();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var devLayers = await AddScanAsync(scanner, BackingServices.Registry, $"dev/layers-{suffix}", ServiceAccessTests.RandomDigest(), done: 1, total: 1);
        var qaLayers = await AddScanAsync(scanner, BackingServices.Registry, $"qa/layers-{suffix}", ServiceAccessTests.RandomDigest(), done: 1, total: 1);
        await AddLayerFindingAsync(scanner, devLayers[0]);
        await AddLayerFindingAsync(scanner, qaLayers[0]);

        var (devReader, _) = await ServiceIdentityAsync("devreader", stack.DevReaderToken);
        var (feedSync, _) = await ServiceIdentityAsync("feedsync", stack.FeedSyncToken);
        using var http = new HttpClient { BaseAddress = new Uri(scanner.Address) };
        foreach (var path in new[] { "/api/scans/layers/{0}", "/api/scans/layers/{0}/analysis" })
        {
            using (var dev = await GetAsync(http, string.Format(CultureInfo.InvariantCulture, path, devLayers[0]), devReader))
                Assert.Equal(HttpStatusCode.OK, dev.StatusCode);
            // The qa/* layer is as unknown to a dev/* reader as a layer never scanned...
            using (var qa = await GetAsync(http, string.Format(CultureInfo.InvariantCulture, path, qaLayers[0]), devReader))
                Assert.Equal(HttpStatusCode.NotFound, qa.StatusCode);
            // ...while FeedSync's robot, which assembles every image's inventory, reads it.
            using (var all = await GetAsync(http, string.Format(CultureInfo.InvariantCulture, path, qaLayers[0]), feedSync))
                Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        }
    }

    [Fact]
    public async Task PolicyEngine_gets_an_assessment_from_FeedSync_as_its_robot_and_a_dev_only_robot_does_not()
    {
        await using var feeds = new ServiceHost<FeedSyncOptions>(9219, await SettingsAsync("sid-feeds", checks: true));
        feeds.StartServer();
        var image = new ImageIdentity(BackingServices.Registry, $"qa/sid-{Guid.NewGuid():N}"[..19], "1.0", ServiceAccessTests.RandomDigest());
        var report = await feeds.Services.GetRequiredService<ImageReportStore>().SaveScanAsync(
            new ImageScanned { ScanId = image.ScanId, Image = image, Layers = [], AnalyzerVersion = "v1", Succeeded = true },
            new ImageInventory(), [], Guid.NewGuid(), CancellationToken.None);

        await using (var policies = new ServiceHost<StoredPolicy>(9204, await SettingsAsync("sid-policies", checks: false, robot: ("policyengine", stack.PolicyEngineToken))))
        {
            policies.StartServer();
            await using var scope = policies.Services.CreateAsyncScope();
            var source = scope.ServiceProvider.GetRequiredService<IAssessmentSource>();
            var latest = await source.GetLatestAsync(image.Repository, image.Digest, CancellationToken.None);
            Assert.NotNull(latest);
            Assert.Equal(report.ReportId, latest.Value.ReportId);
            Assert.Equal(image.Repository, latest.Value.Assessment.Repository);
            Assert.Equal(image.Digest, latest.Value.Assessment.ManifestDigest);
        }

        // The same PolicyEngine as a robot that reads dev/* only: FeedSync refuses the qa/ image.
        await using (var policies = new ServiceHost<StoredPolicy>(9204, await SettingsAsync("sid-policies-dev", checks: false, robot: ("devreader", stack.DevReaderToken))))
        {
            policies.StartServer();
            await using var scope = policies.Services.CreateAsyncScope();
            var source = scope.ServiceProvider.GetRequiredService<IAssessmentSource>();
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => source.GetLatestAsync(image.Repository, image.Digest, CancellationToken.None));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // And without any identity: 401.
        using var anonymous = new HttpClient { BaseAddress = new Uri(feeds.Address) };
        using var response = await anonymous.GetAsync(new Uri($"/api/vulnerabilities/reports/{report.ReportId}/assessment", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_revoked_robot_token_stops_the_services_calls_once_its_cached_identity_expires()
    {
        await using var scanner = new ServiceHost<ImageScanState>(9207, await SettingsAsync("sid-scanner-revoke", checks: true));
        scanner.StartServer();
        await using var ingest = new ServiceHost<IngestOptions>(9208, await SettingsAsync("sid-ingest-revoke", checks: false, robot: ("spare", stack.SpareToken)));
        ingest.StartServer();
        var repository = $"dev/revoke-{Guid.NewGuid():N}"[..23];
        var digest = ServiceAccessTests.RandomDigest();
        await AddScanAsync(scanner, BackingServices.Registry, repository, digest, done: 1, total: 2);
        var tokens = ingest.Services.GetRequiredService<ServiceTokenSource>();

        async Task<ScanProgressClient.ScanView?> ProgressAsync()
        {
            await using var scope = ingest.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ScanProgressClient>().FindAsync(BackingServices.Registry, repository, digest, CancellationToken.None);
        }

        Assert.Equal(1, (await ProgressAsync())?.LayersDone);
        Assert.Equal(1, tokens.Fetches);
        var fetchedAt = DateTimeOffset.UtcNow;

        await RevokeAsync("spare");
        // Still cached: the call passes without asking the gateway.
        Assert.Equal(1, (await ProgressAsync())?.LayersDone);
        Assert.Equal(1, tokens.Fetches);

        // Past the renewal point (4/5 of the 3 s lifetime) the handler asks again and is refused: no progress any more.
        var renewal = fetchedAt + GatewayStack.ServiceTokenLifetime * 0.8 + TimeSpan.FromMilliseconds(200) - DateTimeOffset.UtcNow;
        if (renewal > TimeSpan.Zero) await Task.Delay(renewal);
        Assert.Null(await ProgressAsync());
        Assert.True(tokens.Fetches >= 2);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(async () => await tokens.GetAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.DoesNotContain(stack.SpareToken, stack.Logs.All, StringComparison.Ordinal);
    }

    private async Task<Dictionary<string, string?>> SettingsAsync(string database, bool checks, (string Name, string Token)? robot = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = await BackingServices.FreshVirtualHostAsync(database),
            ["ConnectionStrings:Postgres"] = await BackingServices.FreshDatabaseAsync(database),
            ["Ingest:WebhookSecret"] = Secret,
            ["Registry:Url"] = $"http://{BackingServices.Registry}",
            ["Services:LayerScanner"] = "http://127.0.0.1:9207",
            ["Services:FeedSync"] = "http://127.0.0.1:9219",
            ["Services:Gateway"] = stack.GatewayUri.ToString(),
        };
        if (checks) settings["Identity:Forwarded:CertificatePath"] = stack.CertificatePath;
        if (robot is { } r)
        {
            settings["Identity:Service:Robot"] = r.Name;
            settings["Identity:Service:Token"] = r.Token;
        }
        return settings;
    }

    /// <summary>A push recorded by Ingest through its webhook; the registry it recorded comes back.</summary>
    private static async Task<string> PushAsync(HttpClient ingest, string repository, string digest)
    {
        using var webhook = new HttpRequestMessage(HttpMethod.Post, "/api/registry/events")
        {
            Content = new StringContent(ServiceAccessTests.Envelope(repository, digest), Encoding.UTF8, "application/vnd.docker.distribution.events.v1+json"),
        };
        webhook.Headers.Authorization = new("Bearer", Secret);
        using var recorded = await ingest.SendAsync(webhook);
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        // The timeline row is written by Ingest's consumer of the push it published: wait for it (bounded).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await ingest.GetAsync(new Uri($"/api/images/status?repository={repository}&digest={digest}", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
                return (await response.Content.ReadFromJsonAsync<JsonObject>())!["registry"]!.GetValue<string>();
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.True(DateTime.UtcNow < deadline, $"Ingest recorded no timeline for {repository}@{digest} within 30 s");
            await Task.Delay(200);
        }
    }

    private static async Task<JsonObject> StatusAsync(HttpClient ingest, string repository, string digest)
    {
        using var response = await ingest.GetAsync(new Uri($"/api/images/status?repository={repository}&digest={digest}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>A running scan in LayerScanner's saga table (what the saga writes after dispatching the layers).</summary>
    private static async Task<List<string>> AddScanAsync(ServiceHost<ImageScanState> scanner, string registry, string repository, string digest, int done, int total)
    {
        await using var scope = scanner.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScannerDbContext>();
        var image = new ImageIdentity(registry, repository, "latest", digest);
        var layers = Enumerable.Range(0, total).Select(_ => ServiceAccessTests.RandomDigest()).ToList();
        var now = DateTimeOffset.UtcNow;
        db.Scans.Add(new ImageScanState
        {
            CorrelationId = image.ScanId,
            CurrentState = "Scanning",
            Registry = registry,
            Repository = repository,
            Digest = digest,
            MediaType = "application/vnd.oci.image.manifest.v1+json",
            Tags = ["latest"],
            Layers = layers,
            LayersDone = layers.Take(done).ToList(),
            AnalyzerVersion = "v1",
            CreatedAt = now,
            UpdatedAt = now,
        });
        await db.SaveChangesAsync();
        return layers;
    }

    private static async Task AddLayerFindingAsync(ServiceHost<ImageScanState> scanner, string layer)
    {
        await using var scope = scanner.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ScannerDbContext>();
        db.LayerFindings.Add(new LayerFinding
        {
            Digest = layer,
            AnalyzerVersion = "v1",
            Succeeded = true,
            Json = "{\"packages\":[]}",
            AnalyzedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
    }

    private async Task<HttpResponseMessage> ServiceTokenRequestAsync(string name, string secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/service-token");
        request.Headers.Authorization = GatewayStack.Basic(name, secret);
        return await stack.Http.SendAsync(request);
    }

    private async Task<(string Token, List<string> Grants)> ServiceIdentityAsync(string robot, string token)
    {
        using var response = await ServiceTokenRequestAsync(robot, token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal((int)GatewayStack.ServiceTokenLifetime.TotalSeconds, body["expires_in"]!.GetValue<int>());
        return (body["token"]!.GetValue<string>(), body["grants"]!.AsArray().Select(g => g!.GetValue<string>()).ToList());
    }

    private static async Task<HttpResponseMessage> GetAsync(HttpClient http, string path, string identity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add(ForwardedIdentityExtensions.Header, identity);
        return await http.SendAsync(request);
    }

    /// <summary>The robot's seeded token revoked through the tokens API, by the admin.</summary>
    private async Task RevokeAsync(string robot)
    {
        using var list = new HttpRequestMessage(HttpMethod.Get, $"/api/tokens?user={robot}");
        list.Headers.Authorization = GatewayStack.Basic("admin", stack.AdminPassword);
        using var listed = await stack.Http.SendAsync(list);
        listed.EnsureSuccessStatusCode();
        var ids = (await listed.Content.ReadFromJsonAsync<JsonArray>())!.Select(t => t!["id"]!.GetValue<string>()).ToList();
        Assert.NotEmpty(ids);
        foreach (var id in ids)
        {
            using var revoke = new HttpRequestMessage(HttpMethod.Delete, $"/api/tokens/{id}");
            revoke.Headers.Authorization = GatewayStack.Basic("admin", stack.AdminPassword);
            using var revoked = await stack.Http.SendAsync(revoke);
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        }
    }
}

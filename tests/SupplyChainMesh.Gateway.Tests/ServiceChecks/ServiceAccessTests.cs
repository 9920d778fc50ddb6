using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupplyChainMesh.Gateway.Proxy;
using SupplyChainMesh.Gateway.Tests.Identity;
using SupplyChainMesh.Gateway.Tests.OpenApi;
using SupplyChainMesh.Ingest;
using SupplyChainMesh.PolicyEngine.Model;
using SupplyChainMesh.ServiceDefaults;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Gateway.Tests.ServiceChecks;

/// <summary>
/// Each service checks again what it owns, from the identity the gateway signs (the stack's key): the real
/// PolicyEngine and Ingest hosts (ports 9204, 9209), configured with <c>Identity:Forwarded:CertificatePath</c>.
/// </summary>
[Collection(GatewayStackCollection.Name)]
public sealed partial class ServiceAccessTests(GatewayStack stack)
{
    private const string Secret = "service-checks-secret";

    [Fact]
    public async Task Only_admins_of_the_target_namespace_may_create_a_policy_promoting_into_it()
    {
        await using var policies = new ServiceHost<StoredPolicy>(9204, await SettingsAsync("checks-policies"));
        policies.StartServer();
        using var http = new HttpClient { BaseAddress = new Uri(policies.Address) };
        var policy = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryLayout.RepositoryRoot, "infra/local/sample-policy.json")))!.AsObject();
        policy["name"] = "into qa " + Guid.NewGuid().ToString("N")[..8];

        // A developer who may write dev/* is no admin of qa: refused, and nothing is stored.
        using var developer = await SendAsync(http, HttpMethod.Post, "/api/policies", Principal("dev1", "dev/*=admin", "qa/*=read-write"), policy);
        Assert.Equal(HttpStatusCode.Forbidden, developer.StatusCode);
        Assert.Contains("qa", await developer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var none = await SendAsync(http, HttpMethod.Get, "/api/policies", Principal("admin", []), admin: true);
        Assert.DoesNotContain(policy["name"]!.GetValue<string>(), await none.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var qaAdmin = await SendAsync(http, HttpMethod.Post, "/api/policies", Principal("qa-lead", "qa/*=admin"), policy);
        Assert.Equal(HttpStatusCode.Created, qaAdmin.StatusCode);
        // Without an identity the service refuses outright (it is configured for the gateway's).
        using var anonymous = await SendAsync(http, HttpMethod.Post, "/api/policies", null, policy);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // Deleting needs what creating needed: an admin of dev (the source) is refused with a problem, the policy stays.
        var id = (await qaAdmin.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        using (var refused = await SendAsync(http, HttpMethod.Delete, $"/api/policies/{id}", Principal("dev-lead", "dev/*=admin")))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains("'qa'", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var kept = await SendAsync(http, HttpMethod.Get, $"/api/policies/{id}", Principal("reader", "dev/*=read"))) Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        using (var deleted = await SendAsync(http, HttpMethod.Delete, $"/api/policies/{id}", Principal("qa-lead", "qa/*=admin"))) Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using (var gone = await SendAsync(http, HttpMethod.Get, $"/api/policies/{id}", Principal("reader", "dev/*=read"))) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task A_list_without_repository_shows_only_what_the_caller_may_read_and_scans_need_read_on_the_repository()
    {
        await using var ingest = new ServiceHost<IngestOptions>(9209, await SettingsAsync("checks-ingest"));
        ingest.StartServer();
        using var http = new HttpClient { BaseAddress = new Uri(ingest.Address) };
        var suffix = Guid.NewGuid().ToString("N")[..8];
        foreach (var repository in new[] { $"dev/checks-{suffix}", $"qa/checks-{suffix}" })
        {
            using var webhook = new HttpRequestMessage(HttpMethod.Post, "/api/registry/events")
            {
                Content = new StringContent(Envelope(repository, RandomDigest()), Encoding.UTF8, "application/vnd.docker.distribution.events.v1+json"),
            };
            webhook.Headers.Authorization = new("Bearer", Secret);
            using var recorded = await http.SendAsync(webhook);
            Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        }

        var developer = Principal("dev1", "dev/*=read-write");
        var seenByDeveloper = await RepositoriesAsync(http, developer, admin: false);
        Assert.Contains($"dev/checks-{suffix}", seenByDeveloper);
        Assert.DoesNotContain($"qa/checks-{suffix}", seenByDeveloper);
        Assert.All(seenByDeveloper, r => Assert.StartsWith("dev/", r, StringComparison.Ordinal));
        var seenByAdmin = await RepositoriesAsync(http, Principal("admin", []), admin: true);
        Assert.Contains($"qa/checks-{suffix}", seenByAdmin);

        // A scan of qa/ by the developer is refused before the registry is asked.
        using var scan = await SendAsync(http, HttpMethod.Post, "/api/images/scan", developer, new JsonObject { ["reference"] = $"{BackingServices.Registry}/qa/checks-{suffix}:1" });
        Assert.Equal(HttpStatusCode.Forbidden, scan.StatusCode);
    }

    [Fact]
    public async Task The_gateway_checks_the_repository_in_a_scan_requests_body()
    {
        var token = await TokenAsync("dev1", stack.DeveloperPassword);
        Assert.Equal(HttpStatusCode.Forbidden, await ScanViaGatewayAsync(token, "127.0.0.1:5050/qa/app:1"));
        Assert.Equal(HttpStatusCode.Forbidden, await ScanViaGatewayAsync(token, "docker://registry.example.com/prod/app@sha256:" + new string('a', 64)));
        Assert.Equal(HttpStatusCode.BadRequest, await ScanViaGatewayAsync(token, "127.0.0.1:5050/dev/../qa/app:1"));
        Assert.Equal(HttpStatusCode.OK, await ScanViaGatewayAsync(token, "127.0.0.1:5050/dev/app:1"));
        var logs = stack.Logs.All;
        Assert.Contains("/api/images/scan refused for dev1", logs, StringComparison.Ordinal);
    }

    private async Task<HttpStatusCode> ScanViaGatewayAsync(string token, string reference)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/images/scan") { Content = JsonContent.Create(new { reference }) };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await stack.Http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string> TokenAsync(string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tokens") { Content = JsonContent.Create(new { name = "checks-" + Guid.NewGuid().ToString("N")[..6] }) };
        request.Headers.Authorization = GatewayStack.Basic(user, password);
        using var response = await stack.Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    private async Task<Dictionary<string, string?>> SettingsAsync(string database) => new()
    {
        ["RabbitMq:Uri"] = await BackingServices.RabbitMqUriAsync(),
        ["ConnectionStrings:Postgres"] = await BackingServices.FreshDatabaseAsync(database),
        ["Ingest:WebhookSecret"] = Secret,
        ["Registry:Url"] = $"http://{BackingServices.Registry}",
        ["Identity:Forwarded:CertificatePath"] = stack.CertificatePath,
    };

    private async Task<List<string>> RepositoriesAsync(HttpClient http, ClaimsPrincipal caller, bool admin)
    {
        using var response = await SendAsync(http, HttpMethod.Get, "/api/images", caller, admin: admin);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!.Select(t => t!["repository"]!.GetValue<string>()).ToList();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, ClaimsPrincipal? caller, JsonObject? body = null, bool admin = false)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (caller is not null)
        {
            if (admin) ((ClaimsIdentity)caller.Identity!).AddClaim(new Claim(ForwardedIdentityExtensions.AdminClaim, "true"));
            request.Headers.Add(ForwardedIdentityExtensions.Header, stack.Services.GetRequiredService<ForwardedIdentitySigner>().SignFor(caller));
        }
        return await http.SendAsync(request);
    }

    private static ClaimsPrincipal Principal(string name, params string[] grants) =>
        new(new ClaimsIdentity(
            new[] { new Claim("sub", Guid.NewGuid().ToString()), new Claim("name", name) }.Concat(grants.Select(g => new Claim(ForwardedIdentityExtensions.GrantClaim, g))),
            "test"));

    internal static string Envelope(string repository, string digest) =>
        $$$"""
        {"events":[{"id":"{{{Guid.NewGuid()}}}","timestamp":"2026-11-29T18:36:31.15403207Z","action":"push",
          "target":{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":345,"digest":"{{{digest}}}","length":345,"repository":"{{{repository}}}",
            "url":"http://127.0.0.1:5050/v2/{{{repository}}}/manifests/{{{digest}}}","tag":"latest"},
          "request":{"id":"r1","addr":"127.0.0.1:60298","host":"127.0.0.1:5050","method":"PUT","useragent":"skopeo/1.9.3"},
          "actor":{},"source":{"addr":"vm:5050","instanceID":"i1"}}]}
        """;

    internal static string RandomDigest() => "sha256:" + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
}

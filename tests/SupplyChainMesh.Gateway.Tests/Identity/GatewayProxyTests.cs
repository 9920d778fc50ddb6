using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SupplyChainMesh.Gateway.Tests.Identity;

/// <summary>The gateway in front of a backend (an echo service on a real port): who gets through, what the backend
/// receives, and what never reaches a log.</summary>
[Collection(GatewayStackCollection.Name)]
public sealed class GatewayProxyTests(GatewayStack stack)
{
    [Fact]
    public async Task Anonymous_calls_are_refused_and_registry_webhooks_pass_with_their_own_secret()
    {
        using var anonymous = await stack.Http.GetAsync(new Uri("/api/images", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var webhook = new HttpRequestMessage(HttpMethod.Post, "/api/registry/events") { Content = JsonContent.Create(new { events = Array.Empty<object>() }) };
        webhook.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "the-webhook-secret");
        using var passed = await stack.Http.SendAsync(webhook);
        Assert.Equal(HttpStatusCode.OK, passed.StatusCode);
        var echoed = await passed.Content.ReadFromJsonAsync<GatewayStack.EchoedRequest>();
        Assert.Equal("Bearer the-webhook-secret", echoed!.Authorization);
        Assert.Equal("", echoed.Identity);
    }

    [Fact]
    public async Task A_call_naming_a_repository_needs_read_on_it()
    {
        var token = await CreateTokenAsync("dev1", stack.DeveloperPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api/scans?repository=qa/app", token)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/api/scans?repository=dev/../qa/app", token)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await GetAsync("/api/vulnerabilities/images?repository=%2e%2e%2fqa", token)).StatusCode);
        using var allowed = await GetAsync("/api/scans?repository=dev/app&digest=sha256:abc", token);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal("/api/scans?repository=dev/app&digest=sha256:abc", (await allowed.Content.ReadFromJsonAsync<GatewayStack.EchoedRequest>())!.Path);
    }

    [Fact]
    public async Task Policy_writes_need_namespace_admin_and_feed_syncs_the_admin_role()
    {
        var developer = await CreateTokenAsync("dev1", stack.DeveloperPassword);
        var admin = await CreateTokenAsync("admin", stack.AdminPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/api/policies", developer)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/api/feeds/debian/sync", developer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/policies/dry-run", developer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/policies", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, "/api/feeds/debian/sync", admin)).StatusCode);
    }

    [Fact]
    public async Task The_backend_gets_a_signed_identity_and_the_correlation_id_but_not_the_callers_secret()
    {
        var token = await CreateTokenAsync("qa1", stack.QaPassword);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/images");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("X-Correlation-Id", "trace-me-42");
        request.Headers.Add("X-SCM-Identity", "forged.by.caller");
        using var response = await stack.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("trace-me-42", response.Headers.GetValues("X-Correlation-Id").Single());
        var echoed = (await response.Content.ReadFromJsonAsync<GatewayStack.EchoedRequest>())!;
        Assert.Equal("trace-me-42", echoed.CorrelationId);
        Assert.Equal("", echoed.Authorization);
        Assert.NotEqual("forged.by.caller", echoed.Identity);

        var validated = await ValidateAsync(echoed.Identity);
        Assert.True(validated.IsValid, validated.Exception?.Message);
        Assert.Equal("qa1", validated.Claims["name"]);
        var grants = validated.ClaimsIdentity.FindAll("scm_grant").Select(c => c.Value).ToList();
        Assert.Contains("qa/*=read-write", grants);

        // Without one, the gateway makes a correlation id and the backend sees the same.
        using var second = new HttpRequestMessage(HttpMethod.Get, "/api/images");
        second.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var secondResponse = await stack.Http.SendAsync(second);
        var generated = secondResponse.Headers.GetValues("X-Correlation-Id").Single();
        Assert.False(string.IsNullOrWhiteSpace(generated));
        Assert.Equal(generated, (await secondResponse.Content.ReadFromJsonAsync<GatewayStack.EchoedRequest>())!.CorrelationId);
    }

    [Fact]
    public async Task Identity_management_is_for_admins_and_every_change_is_audited()
    {
        var developer = await CreateTokenAsync("dev1", stack.DeveloperPassword);
        var admin = await CreateTokenAsync("admin", stack.AdminPassword);
        Assert.Equal(HttpStatusCode.Forbidden, (await SendAsync(HttpMethod.Post, "/api/teams", developer, new { name = "sneaky" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api/audit", developer)).StatusCode);

        var team = "auditors-" + Guid.NewGuid().ToString("N")[..6];
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/teams", admin, new { name = team })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(HttpMethod.Post, "/api/permissions", admin, new { team, repository = "prod/*", level = "read" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, "/api/permissions", admin, new { team, repository = "../prod", level = "read" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(HttpMethod.Post, "/api/permissions", admin, new { team, repository = "prod/*", level = "owner" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Put, $"/api/teams/{team}/members/dev1", admin)).StatusCode);

        using var audit = await GetAsync($"/api/audit?target=team:{team}", admin);
        var entries = (await audit.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray()
            .Select(e => (Actor: e.GetProperty("actor").GetString(), Action: e.GetProperty("action").GetString(), Detail: e.GetProperty("detail").GetString()))
            .ToList();
        Assert.Contains(("admin", "team.created", null), entries);
        Assert.Contains(("admin", "permission.granted", "prod/*=read"), entries);
        Assert.Contains(("admin", "team.member.added", "user:dev1"), entries);

        // dev1 now reads prod/* through the new team: grants of a user's teams add up, at once.
        var token = await CreateTokenAsync("dev1", stack.DeveloperPassword);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/scans?repository=prod/app", token)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Delete, $"/api/teams/{team}/members/dev1", admin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync("/api/scans?repository=prod/app", token)).StatusCode);
    }

    [Fact]
    public async Task Backend_health_is_aggregated()
    {
        using var response = await stack.Http.GetAsync(new Uri("/health/backends", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", report.GetProperty("status").GetString());
        Assert.Equal(5, report.GetProperty("backends").GetArrayLength());
    }

    [Fact]
    public async Task The_gateways_own_api_is_described_in_openapi_and_browsable()
    {
        var document = await stack.Http.GetFromJsonAsync<JsonElement>(new Uri("/openapi/v1.json", UriKind.Relative));
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/tokens", paths);
        Assert.Contains("/auth/token", paths);
        Assert.Contains("/api/permissions", paths);
        using var reference = await stack.Http.GetAsync(new Uri("/scalar", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
    }

    [Fact]
    public async Task Secrets_never_reach_the_logs()
    {
        // Exercise every path that handles a secret: wrong and right passwords, token creation and use.
        var token = await CreateTokenAsync("qa1", stack.QaPassword);
        await GetAsync("/api/users/me", token);
        await GetAsync("/api/users/me", token[..^3] + "xyz");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=scm-registry&scope=repository:qa/app:pull");
        wrong.Headers.Authorization = GatewayStack.Basic("qa1", stack.QaPassword + "-typo");
        await stack.Http.SendAsync(wrong);
        using var robot = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=scm-registry&scope=repository:qa/app:push&offline_token=true");
        robot.Headers.Authorization = GatewayStack.Basic("promoter", stack.PromoterToken);
        using var robotResponse = await stack.Http.SendAsync(robot);
        var refresh = (await robotResponse.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refresh_token").GetString()!;

        var logs = stack.Logs.All;
        Assert.NotEmpty(stack.Logs.Lines);
        Assert.Contains("Sign-in refused for qa1", logs, StringComparison.Ordinal);
        foreach (var secret in stack.Secrets.Append(token).Append(refresh).Append(stack.QaPassword + "-typo"))
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
    }

    private async Task<string> CreateTokenAsync(string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/tokens") { Content = JsonContent.Create(new { name = "test" }) };
        request.Headers.Authorization = GatewayStack.Basic(user, password);
        using var response = await stack.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    private Task<HttpResponseMessage> GetAsync(string path, string token) => SendAsync(HttpMethod.Get, path, token);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await stack.Http.SendAsync(request);
    }

    private async Task<TokenValidationResult> ValidateAsync(string jwt)
    {
        var certificate = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(stack.CertificatePath));
        return await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = "scm-gateway",
            ValidAudience = "scm-services",
            IssuerSigningKey = new RsaSecurityKey(certificate.GetRSAPublicKey()!),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
    }
}

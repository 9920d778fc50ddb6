using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupplyChainMesh.Gateway.Proxy;
using SupplyChainMesh.Gateway.Registry;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Gateway.Tests.Identity;

/// <summary>
/// A service that opted in with <see cref="ForwardedIdentityExtensions.AddForwardedIdentity"/> (a real Kestrel host on
/// port 9205) accepts the identity the gateway signs and refuses forgeries: another key, alg none, expired, a
/// registry token replayed as an identity, a missing header.
/// </summary>
[Collection(GatewayStackCollection.Name)]
public sealed class ForwardedIdentityValidationTests(GatewayStack stack) : IAsyncLifetime
{
    private const int Port = 9205;
    private WebApplication? _service;
    private readonly HttpClient _http = new() { BaseAddress = new Uri($"http://127.0.0.1:{Port}") };

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        builder.Logging.ClearProviders();
        builder.Configuration["Identity:Forwarded:CertificatePath"] = stack.CertificatePath;
        builder.AddForwardedIdentity();
        _service = builder.Build();
        _service.UseForwardedIdentity();
        _service.MapGet("/api/things", (string repository) => Results.Ok(repository));
        _service.MapGet("/owned/{ns}/{name}", (string ns, string name, ClaimsPrincipal user) =>
            user.CanAccess($"{ns}/{name}", "read-write")
                ? Results.Ok(new { user = user.Identity!.Name, admin = user.IsNamespaceAdmin(ns) })
                : Results.Forbid()).RequireAuthorization();
        await _service.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_service is not null) await _service.DisposeAsync();
    }

    [Fact]
    public async Task The_gateways_identity_is_accepted_and_checked_again_by_the_service()
    {
        var signer = stack.Services.GetRequiredService<ForwardedIdentitySigner>();
        var developer = Principal("dev1", "dev/*=read-write");
        Assert.Equal(HttpStatusCode.OK, await CallAsync("/owned/dev/app", signer.SignFor(developer)));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync("/owned/qa/app", signer.SignFor(developer)));
        // UseForwardedIdentity's own re-check of ?repository= on /api.
        Assert.Equal(HttpStatusCode.OK, await CallAsync("/api/things?repository=dev/app", signer.SignFor(developer)));
        Assert.Equal(HttpStatusCode.Forbidden, await CallAsync("/api/things?repository=qa/app", signer.SignFor(developer)));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync("/api/things?repository=dev/app", null));
    }

    [Fact]
    public async Task Forged_expired_and_misaddressed_identities_are_refused()
    {
        using var other = RSA.Create(2048);
        var claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString(), ["name"] = "mallory", ["scm_admin"] = "true" };
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync("/owned/qa/app", Mint(new RsaSecurityKey(other), claims, DateTime.UtcNow.AddMinutes(1))));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync("/owned/qa/app", Unsigned(claims)));
        using var real = TokenSigningKey.FromPemFiles(stack.KeyPath, stack.CertificatePath);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync("/owned/qa/app", Mint(real.SecurityKey, claims, DateTime.UtcNow.AddMinutes(-5))));
        // A registry token is signed by the same key but addressed to the registry: not an identity.
        var registryToken = stack.Services.GetRequiredService<RegistryTokenIssuer>().Issue("mallory", []).Token;
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync("/owned/qa/app", registryToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await CallAsync("/owned/qa/app", null));
        // Control: the same claims, signed with the real key, in time, pass.
        Assert.Equal(HttpStatusCode.OK, await CallAsync("/owned/qa/app", Mint(real.SecurityKey, claims, DateTime.UtcNow.AddMinutes(1))));
    }

    private async Task<HttpStatusCode> CallAsync(string path, string? identity)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (identity is not null) request.Headers.Add(ForwardedIdentityExtensions.Header, identity);
        // The caller's own Authorization is not what a service trusts.
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "ignored");
        using var response = await _http.SendAsync(request);
        return response.StatusCode;
    }

    private static ClaimsPrincipal Principal(string name, params string[] grants) =>
        new(new ClaimsIdentity(
            new[] { new Claim("sub", Guid.NewGuid().ToString()), new Claim("name", name) }.Concat(grants.Select(g => new Claim("scm_grant", g))),
            "test"));

    private static string Mint(SecurityKey key, Dictionary<string, object> claims, DateTime expires) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "scm-gateway",
            Audience = "scm-services",
            IssuedAt = expires.AddMinutes(-1),
            NotBefore = expires.AddMinutes(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            Claims = claims,
        });

    private static string Unsigned(Dictionary<string, object> claims)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new Dictionary<string, object>(claims) { ["iss"] = "scm-gateway", ["aud"] = "scm-services", ["exp"] = now + 60, ["nbf"] = now - 5 };
        return $"{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new { alg = "none", typ = "JWT" }))}.{Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload))}.";
    }
}

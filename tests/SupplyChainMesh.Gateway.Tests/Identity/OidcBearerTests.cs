using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace SupplyChainMesh.Gateway.Tests.Identity;

/// <summary>Bearer JWTs of an external identity provider (discovered from its metadata on a real port): accepted
/// when the provider signed them, mapped to local users and teams; forgeries refused by the gateway itself.</summary>
[Collection(GatewayStackCollection.Name)]
public sealed class OidcBearerTests(GatewayStack stack)
{
    [Fact]
    public async Task A_providers_token_maps_to_the_local_user_and_to_teams_named_by_its_groups()
    {
        var qa = await MeAsync(stack.IdentityProvider.Issue("qa1", []));
        Assert.Equal(HttpStatusCode.OK, qa.Status);
        Assert.Contains("qa/*=read-write", qa.Grants);

        var external = await MeAsync(stack.IdentityProvider.Issue("ext-contractor", ["developers", "no-such-team"]));
        Assert.Equal(HttpStatusCode.OK, external.Status);
        Assert.Equal(["dev/*=read-write"], external.Grants);

        // And the grants hold at the proxy: the contractor reads dev/*, not qa/*.
        var token = stack.IdentityProvider.Issue("ext-contractor", ["developers"]);
        Assert.Equal(HttpStatusCode.OK, await ProxiedAsync("/api/scans?repository=dev/app", token));
        Assert.Equal(HttpStatusCode.Forbidden, await ProxiedAsync("/api/scans?repository=qa/app", token));
    }

    [Fact]
    public async Task Forged_expired_and_unsigned_tokens_are_refused_by_the_gateway()
    {
        using var other = RSA.Create(2048);
        var provider = stack.IdentityProvider;
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(provider.Issue("admin", [], key: new RsaSecurityKey(other) { KeyId = "idp-key-1" }))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(provider.Issue("admin", [], expires: DateTime.UtcNow.AddMinutes(-10)))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(provider.Issue("admin", [], issuer: "http://127.0.0.1:1/evil"))).Status);
        // HMAC keyed with something the attacker knows: the gateway takes asymmetric algorithms only.
        var hmac = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(new string('k', 64))) { KeyId = "idp-key-1" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(SignHmac(provider, hmac))).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(Unsigned())).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, await ProxiedAsync("/api/images", Unsigned()));
        // Control: a genuine token for the same user passes.
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(provider.Issue("admin", []))).Status);
    }

    private async Task<(HttpStatusCode Status, string[] Grants)> MeAsync(string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await stack.Http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.OK) return (response.StatusCode, []);
        var me = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response.StatusCode, me.GetProperty("grants").EnumerateArray().Select(g => g.GetString()!).ToArray());
    }

    private async Task<HttpStatusCode> ProxiedAsync(string path, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await stack.Http.SendAsync(request);
        return response.StatusCode;
    }

    private static string SignHmac(FakeIdentityProvider provider, SecurityKey key)
    {
        var genuine = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(provider.Issue("admin", []));
        return new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(
            Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(genuine.EncodedPayload)),
            new SigningCredentials(key, SecurityAlgorithms.HmacSha256));
    }

    private static string Unsigned()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = JsonSerializer.SerializeToUtf8Bytes(new { alg = "none", typ = "JWT", kid = "idp-key-1" });
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = FakeIdentityProvider.Issuer,
            ["aud"] = FakeIdentityProvider.Audience,
            ["preferred_username"] = "admin",
            ["sub"] = "x",
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
        });
        return $"{System.Buffers.Text.Base64Url.EncodeToString(header)}.{System.Buffers.Text.Base64Url.EncodeToString(payload)}.";
    }
}

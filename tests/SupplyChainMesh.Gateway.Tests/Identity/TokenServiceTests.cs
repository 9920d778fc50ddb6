using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupplyChainMesh.Gateway.Registry;

namespace SupplyChainMesh.Gateway.Tests.Identity;

/// <summary>The token service's answers and the real registry's verdict on tokens it did not mean to trust.</summary>
[Collection(GatewayStackCollection.Name)]
public sealed class TokenServiceTests(GatewayStack stack)
{
    private static readonly string[] PullOnly = ["pull"];
    private static readonly RegistryScope PullJwt = new(RegistryScope.Repository, "dev/jwt", [RegistryScope.Pull]);

    [Fact]
    public async Task The_registry_accepts_a_fresh_token_and_refuses_an_expired_one()
    {
        var issuer = stack.Services.GetRequiredService<RegistryTokenIssuer>();
        var fresh = issuer.Issue("dev1", [PullJwt]);
        // Authorized: the repository does not exist, so 404 (a refused token would get 401).
        Assert.Equal(HttpStatusCode.NotFound, await RegistryStatusAsync(fresh.Token));

        // Expired well beyond the registry's clock-skew leeway.
        var expired = issuer.Issue("dev1", [PullJwt], DateTimeOffset.UtcNow.AddMinutes(-20), TimeSpan.FromMinutes(5));
        Assert.Equal(HttpStatusCode.Unauthorized, await RegistryStatusAsync(expired.Token));
    }

    [Fact]
    public async Task A_token_is_a_valid_RS256_JWT_with_x5c_and_an_identical_request_soon_after_gets_it_again()
    {
        var repository = "dev/reuse-" + Guid.NewGuid().ToString("N")[..8];
        var query = $"scope=repository:{repository}:pull,push";
        var first = await GetTokenAsync("dev1", stack.DeveloperPassword, query);
        var token = first.GetProperty("token").GetString()!;

        // What a JWT library makes of it: the gateway's certificate verifies it, with the registry's iss and aud.
        using var real = TokenSigningKey.FromPemFiles(stack.KeyPath, stack.CertificatePath);
        var validated = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new X509SecurityKey(real.Chain[0]),
            ValidIssuer = "scm-gateway",
            ValidAudience = "scm-registry",
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        Assert.True(validated.IsValid, validated.Exception?.Message);
        var jwt = new JsonWebToken(token);
        Assert.Equal("dev1", jwt.Subject);
        Assert.Equal(32, jwt.Id.Length);
        using (var header = JsonDocument.Parse(Base64Url.DecodeFromChars(token.AsSpan(0, token.IndexOf('.', StringComparison.Ordinal)))))
            Assert.Equal(Convert.ToBase64String(real.Chain[0].RawData), header.RootElement.GetProperty("x5c")[0].GetString());
        Assert.Equal(300, first.GetProperty("expires_in").GetInt32());

        // The same caller asking for the same access again gets the same token (one signature), never a longer life.
        var again = await GetTokenAsync("dev1", stack.DeveloperPassword, query);
        Assert.Equal(token, again.GetProperty("token").GetString());
        Assert.InRange(again.GetProperty("expires_in").GetInt32(), 1, 300);
        Assert.Equal(first.GetProperty("issued_at").GetString(), again.GetProperty("issued_at").GetString());
        // Other access or another caller: a new token.
        var other = await GetTokenAsync("dev1", stack.DeveloperPassword, $"scope=repository:{repository}:pull");
        Assert.NotEqual(token, other.GetProperty("token").GetString());
        var qa = await GetTokenAsync("qa1", stack.QaPassword, query);
        Assert.NotEqual(token, qa.GetProperty("token").GetString());
        Assert.Equal([$"repository:{repository}:pull"], AccessOf(qa.GetProperty("token").GetString()!));
    }

    [Fact]
    public async Task The_registry_refuses_tokens_signed_by_another_key_or_with_alg_none()
    {
        var trusted = await File.ReadAllTextAsync(stack.CertificatePath);
        var trustedX5c = trusted.Replace("-----BEGIN CERTIFICATE-----", "", StringComparison.Ordinal)
            .Replace("-----END CERTIFICATE-----", "", StringComparison.Ordinal).ReplaceLineEndings("").Trim();

        using var otherRsa = RSA.Create(2048);
        using var otherCert = TokenSigningKey.CreateSelfSigned(otherRsa, "CN=attacker", TimeSpan.FromDays(1));
        // Its own (untrusted) certificate in x5c.
        Assert.Equal(HttpStatusCode.Unauthorized, await RegistryStatusAsync(Mint(new RsaSecurityKey(otherRsa), Convert.ToBase64String(otherCert.RawData))));
        // The trusted certificate in x5c, but signed with the attacker's key.
        Assert.Equal(HttpStatusCode.Unauthorized, await RegistryStatusAsync(Mint(new RsaSecurityKey(otherRsa), trustedX5c)));
        // alg none with the trusted certificate.
        Assert.Equal(HttpStatusCode.Unauthorized, await RegistryStatusAsync(UnsignedToken(trustedX5c)));
        // Control: the same claims signed with the real key pass.
        using var real = TokenSigningKey.FromPemFiles(stack.KeyPath, stack.CertificatePath);
        Assert.Equal(HttpStatusCode.NotFound, await RegistryStatusAsync(Mint(real.SecurityKey, trustedX5c)));
    }

    [Fact]
    public async Task Scope_escalation_is_cut_down_to_what_the_caller_may_do()
    {
        var body = await GetTokenAsync("dev1", stack.DeveloperPassword,
            "scope=repository:qa/app:pull,push&scope=repository:dev/app:pull,push,delete&scope=registry:catalog:*");
        var access = AccessOf(body.GetProperty("token").GetString()!);
        Assert.Equal(["repository:dev/app:pull,push"], access);
        Assert.Equal("repository:dev/app:pull,push", body.GetProperty("scope").GetString());

        var qa = AccessOf((await GetTokenAsync("qa1", stack.QaPassword, "scope=repository:qa/app:pull,push,delete&scope=repository:dev/app:push")).GetProperty("token").GetString()!);
        Assert.Equal(["repository:qa/app:pull,push"], qa);

        var admin = AccessOf((await GetTokenAsync("admin", stack.AdminPassword, "scope=repository:prod/app:*&scope=registry:catalog:*")).GetProperty("token").GetString()!);
        Assert.Equal(["repository:prod/app:*", "registry:catalog:*"], admin);
    }

    [Theory]
    [InlineData("repository:dev/../qa/app:pull")]
    [InlineData("repository:../qa/app:pull")]
    [InlineData("repository:/qa/app:pull")]
    [InlineData("repository:QA/app:pull")]
    [InlineData("repository:qa/app:admin")]
    [InlineData("repository::pull")]
    [InlineData("repository:qa%2Fapp:pull")]
    [InlineData("registry:secrets:*")]
    [InlineData("nonsense")]
    [InlineData("repository:dev/app")]
    public async Task Malformed_scopes_and_path_traversal_are_refused_with_400(string scope)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=scm-registry&scope=" + Uri.EscapeDataString(scope));
        request.Headers.Authorization = GatewayStack.Basic("dev1", stack.DeveloperPassword);
        using var response = await stack.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("INVALID_SCOPE", error.GetProperty("errors")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_token_for_another_service_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=other-registry&scope=repository:dev/app:pull");
        request.Headers.Authorization = GatewayStack.Basic("dev1", stack.DeveloperPassword);
        using var response = await stack.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Offline_token_gives_a_refresh_token_that_the_oauth2_endpoint_accepts()
    {
        var body = await GetTokenAsync("qa1", stack.QaPassword, "scope=repository:qa/app:pull&offline_token=true&client_id=docker");
        var refresh = body.GetProperty("refresh_token").GetString()!;

        using var post = await stack.Http.PostAsync(new Uri("/auth/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refresh,
            ["service"] = "scm-registry",
            ["scope"] = "repository:qa/app:pull,push repository:dev/app:push",
            ["client_id"] = "docker",
        }));
        Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        var refreshed = await post.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(["repository:qa/app:pull,push"], AccessOf(refreshed.GetProperty("access_token").GetString()!));

        using var password = await stack.Http.PostAsync(new Uri("/auth/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = "qa1",
            ["password"] = stack.QaPassword,
            ["service"] = "scm-registry",
            ["scope"] = "repository:qa/app:pull",
            ["client_id"] = "docker",
            ["access_type"] = "offline",
        }));
        Assert.Equal(HttpStatusCode.OK, password.StatusCode);
        Assert.StartsWith("scm_", (await password.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("refresh_token").GetString(), StringComparison.Ordinal);

        // A refresh token is not an API token and a wrong one is refused.
        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", refresh);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stack.Http.SendAsync(me)).StatusCode);
        using var wrong = await stack.Http.PostAsync(new Uri("/auth/token", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refresh[..^4] + "AAAA",
            ["service"] = "scm-registry",
        }));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task Wrong_passwords_are_counted_and_lock_the_account()
    {
        for (var i = 0; i < GatewayStack.MaxFailures; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync("locky", "wrong-" + i));
        // Now even the right password is refused, and the lock is recorded.
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenStatusAsync("locky", stack.LockyPassword));

        using var users = new HttpRequestMessage(HttpMethod.Get, "/api/users");
        users.Headers.Authorization = GatewayStack.Basic("admin", stack.AdminPassword);
        var list = await (await stack.Http.SendAsync(users)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(list.EnumerateArray().Single(u => u.GetProperty("username").GetString() == "locky").GetProperty("locked").GetBoolean());

        using var audit = new HttpRequestMessage(HttpMethod.Get, "/api/audit?target=user:locky");
        audit.Headers.Authorization = GatewayStack.Basic("admin", stack.AdminPassword);
        var entries = await (await stack.Http.SendAsync(audit)).Content.ReadFromJsonAsync<JsonElement>();
        var actions = entries.EnumerateArray().Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("user.locked", actions);
        Assert.Equal(GatewayStack.MaxFailures - 1, actions.Count(a => a == "login.failed"));

        // An admin unlocks; the right password works again.
        using var unlock = new HttpRequestMessage(HttpMethod.Post, "/api/users/locky/unlock");
        unlock.Headers.Authorization = GatewayStack.Basic("admin", stack.AdminPassword);
        Assert.Equal(HttpStatusCode.NoContent, (await stack.Http.SendAsync(unlock)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await TokenStatusAsync("locky", stack.LockyPassword));
    }

    [Fact]
    public async Task Oversized_headers_are_refused_by_the_gateway()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=scm-registry");
        request.Headers.TryAddWithoutValidation("X-Padding", new string('a', 40_000));
        using var response = await stack.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    private async Task<HttpStatusCode> TokenStatusAsync(string user, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=scm-registry&scope=repository:dev/app:pull");
        request.Headers.Authorization = GatewayStack.Basic(user, password);
        using var response = await stack.Http.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<JsonElement> GetTokenAsync(string user, string password, string query)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/auth/token?service=scm-registry&" + query);
        request.Headers.Authorization = GatewayStack.Basic(user, password);
        using var response = await stack.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>The token's <c>access</c> claim as <c>type:name:actions</c> strings.</summary>
    private static string[] AccessOf(string jwt)
    {
        var token = new JsonWebToken(jwt);
        Assert.Equal("scm-registry", token.Audiences.Single());
        Assert.NotEmpty(token.GetHeaderValue<string[]>("x5c"));
        using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(token.EncodedPayload));
        return doc.RootElement.GetProperty("access").EnumerateArray()
            .Select(a => $"{a.GetProperty("type").GetString()}:{a.GetProperty("name").GetString()}:{string.Join(',', a.GetProperty("actions").EnumerateArray().Select(x => x.GetString()))}")
            .ToArray();
    }

    private static async Task<HttpStatusCode> RegistryStatusAsync(string token)
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{GatewayStack.Registry}/v2/dev/jwt/tags/list");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static string Mint(SecurityKey key, string x5c) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "scm-gateway",
            Audience = "scm-registry",
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = "dev1",
                ["jti"] = Guid.NewGuid().ToString("N"),
                ["access"] = new[] { new Dictionary<string, object> { ["type"] = "repository", ["name"] = "dev/jwt", ["actions"] = PullOnly } },
            },
            AdditionalHeaderClaims = new Dictionary<string, object> { ["x5c"] = new[] { x5c } },
        });

    private static string UnsignedToken(string x5c)
    {
        var header = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["alg"] = "none", ["typ"] = "JWT", ["x5c"] = new[] { x5c } });
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = "scm-gateway",
            ["sub"] = "dev1",
            ["aud"] = "scm-registry",
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = new[] { new Dictionary<string, object> { ["type"] = "repository", ["name"] = "dev/jwt", ["actions"] = PullOnly } },
        });
        return $"{Base64Url.EncodeToString(header)}.{Base64Url.EncodeToString(payload)}.";
    }
}

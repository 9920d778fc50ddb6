using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SupplyChainMesh.Gateway.Tests.Identity;

/// <summary>
/// An OpenID Connect provider reduced to what a resource server reads: the discovery document and the JWKS, on a real
/// port (9206). It mints tokens with its own RSA key, as Keycloak or Entra would, for the gateway's JWT bearer path.
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    public const int Port = 9206;
    public const string Audience = "scm-api";
    public static string Issuer => $"http://127.0.0.1:{Port}";

    private static readonly string[] Rs256Only = ["RS256"];
    private readonly RSA _key = RSA.Create(2048);
    private readonly RsaSecurityKey _securityKey;
    private WebApplication? _app;

    public FakeIdentityProvider() => _securityKey = new RsaSecurityKey(_key) { KeyId = "idp-key-1" };

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Issuer);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["jwks_uri"] = $"{Issuer}/jwks",
            ["id_token_signing_alg_values_supported"] = Rs256Only,
        }));
        var parameters = _key.ExportParameters(false);
        _app.MapGet("/jwks", () => Results.Json(new
        {
            keys = new[]
            {
                new Dictionary<string, string>
                {
                    ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = _securityKey.KeyId,
                    ["n"] = Base64Url.EncodeToString(parameters.Modulus), ["e"] = Base64Url.EncodeToString(parameters.Exponent),
                },
            },
        }));
        await _app.StartAsync();
    }

    /// <summary>A token as the provider issues it; <paramref name="key"/> overrides the signing key (a forgery).</summary>
    public string Issue(string username, IEnumerable<string> groups, DateTime? expires = null, SecurityKey? key = null, string? issuer = null)
    {
        var exp = expires ?? DateTime.UtcNow.AddMinutes(5);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer ?? Issuer,
            Audience = Audience,
            IssuedAt = exp.AddMinutes(-10),
            NotBefore = exp.AddMinutes(-10),
            Expires = exp,
            SigningCredentials = new SigningCredentials(key ?? _securityKey, SecurityAlgorithms.RsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = Guid.NewGuid().ToString(),
                ["preferred_username"] = username,
                ["groups"] = groups.ToArray(),
            },
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        _key.Dispose();
    }
}

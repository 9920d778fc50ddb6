using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupplyChainMesh.Gateway.Identity;
using SupplyChainMesh.Gateway.Identity.Authentication;
using SupplyChainMesh.Gateway.Registry;

namespace SupplyChainMesh.Gateway.Proxy;

/// <summary>
/// Signs the caller's identity for the backends (<c>X-SCM-Identity</c>): a short-lived JWT with the gateway's key,
/// holding the subject, name, admin/robot flags and grants, so a service can check again what it owns. A signature
/// costs about a millisecond, so one is reused for the same principal for half its lifetime.
/// </summary>
public sealed class ForwardedIdentitySigner(TokenSigningKey key, IOptions<IdentityOptions> options, TimeProvider clock)
{
    public const string Header = "X-SCM-Identity";
    private const int MaxCached = 10_000;
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAfter)> _cache = new(StringComparer.Ordinal);

    public string SignFor(ClaimsPrincipal principal)
    {
        var now = clock.GetUtcNow();
        var cacheKey = string.Join('\n', principal.Claims.Select(c => c.Type + "=" + c.Value));
        if (_cache.TryGetValue(cacheKey, out var cached) && cached.RenewAfter > now) return cached.Token;

        var o = options.Value;
        var token = Sign(principal, now, o.Forwarding.Lifetime);
        if (_cache.Count >= MaxCached) _cache.Clear();
        _cache[cacheKey] = (token, now.Add(o.Forwarding.Lifetime / 2));
        return token;
    }

    /// <summary>A service's own identity (<c>POST /auth/service-token</c>): signed afresh, for
    /// <see cref="ForwardingOptions.ServiceTokenLifetime"/>, which the caller caches.</summary>
    public (string Token, TimeSpan Lifetime) SignForService(ClaimsPrincipal robot)
    {
        var lifetime = options.Value.Forwarding.ServiceTokenLifetime;
        return (Sign(robot, clock.GetUtcNow(), lifetime), lifetime);
    }

    private string Sign(ClaimsPrincipal principal, DateTimeOffset now, TimeSpan lifetime)
    {
        var o = options.Value;
        var claims = new Dictionary<string, object>();
        foreach (var group in principal.Claims.GroupBy(c => c.Type))
        {
            if (group.Key is CallerClaims.Subject or CallerClaims.Name or CallerClaims.Admin or CallerClaims.Robot or CallerClaims.TokenId)
                claims[group.Key] = group.First().Value;
            else if (group.Key == CallerClaims.Grant)
                claims[group.Key] = group.Select(c => c.Value).ToArray();
        }
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = o.TokenSigning.Issuer,
            Audience = o.Forwarding.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            SigningCredentials = key.Credentials,
            Claims = claims,
        });
    }
}

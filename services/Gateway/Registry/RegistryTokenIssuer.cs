using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SupplyChainMesh.Gateway.Identity;

namespace SupplyChainMesh.Gateway.Registry;

/// <summary>
/// Mints the JWT the Distribution registry verifies (docker registry token authentication spec): <c>iss</c>,
/// <c>sub</c>, <c>aud</c> = the registry's service name, short <c>exp</c>, a unique <c>jti</c>, and the granted
/// <c>access</c> list; signed with the service key, its certificate chain in <c>x5c</c>.
/// </summary>
public sealed class RegistryTokenIssuer(TokenSigningKey key, IOptions<IdentityOptions> options, TimeProvider clock)
{
    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };
    private readonly TokenSigningOptions _options = options.Value.TokenSigning;

    public sealed record IssuedToken(string Token, DateTimeOffset IssuedAt, int ExpiresIn);

    public IssuedToken Issue(string subject, IReadOnlyList<RegistryScope> access) =>
        Issue(subject, access, clock.GetUtcNow(), _options.TokenLifetime);

    /// <summary>Mints with an explicit issue time and lifetime (tests use it to mint an already-expired token).</summary>
    public IssuedToken Issue(string subject, IReadOnlyList<RegistryScope> access, DateTimeOffset issuedAt, TimeSpan lifetime)
    {
        var accessClaim = new List<Dictionary<string, object>>(access.Count);
        foreach (var scope in access)
        {
            accessClaim.Add(new Dictionary<string, object>(3)
            {
                ["type"] = scope.Type,
                ["name"] = scope.Name,
                ["actions"] = scope.Actions,
            });
        }
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = _options.Issuer,
            Audience = _options.Service,
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = issuedAt.Add(lifetime).UtcDateTime,
            SigningCredentials = key.Credentials,
            Claims = new Dictionary<string, object>(4)
            {
                [JwtRegisteredClaimNames.Sub] = subject,
                [JwtRegisteredClaimNames.Jti] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                ["access"] = accessClaim,
            },
            AdditionalHeaderClaims = new Dictionary<string, object>(1) { ["x5c"] = key.X5c },
        };
        return new IssuedToken(Handler.CreateToken(descriptor), issuedAt, (int)lifetime.TotalSeconds);
    }
}

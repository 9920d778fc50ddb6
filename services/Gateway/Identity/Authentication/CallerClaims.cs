using System.Security.Claims;
using SupplyChainMesh.Gateway.Identity.Access;

namespace SupplyChainMesh.Gateway.Identity.Authentication;

/// <summary>How a <see cref="Caller"/> travels in a <see cref="ClaimsPrincipal"/> inside the gateway (and, with the
/// same claim names, in the forwarded identity JWT).</summary>
public static class CallerClaims
{
    public const string Subject = "sub";
    public const string Name = "name";
    public const string Admin = "scm_admin";
    public const string Robot = "scm_robot";
    public const string Grant = "scm_grant";
    public const string TokenId = "scm_token";

    public static ClaimsPrincipal ToPrincipal(Caller caller, string scheme, Guid? tokenId = null)
    {
        var claims = new List<Claim>(4 + caller.Grants.Count)
        {
            new(Subject, caller.UserId.ToString()),
            new(Name, caller.Name),
        };
        if (caller.IsAdmin) claims.Add(new Claim(Admin, "true"));
        if (caller.IsRobot) claims.Add(new Claim(Robot, "true"));
        if (tokenId is { } id) claims.Add(new Claim(TokenId, id.ToString()));
        foreach (var grant in caller.Grants) claims.Add(new Claim(Grant, grant.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, Name, null));
    }

    /// <summary>The caller an authenticated principal stands for; null when anonymous.</summary>
    public static Caller? ToCaller(this ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        _ = Guid.TryParse(principal.FindFirstValue(Subject), out var id);
        var grants = new List<Grant>();
        foreach (var claim in principal.FindAll(Grant))
        {
            if (Access.Grant.TryParse(claim.Value, out var g)) grants.Add(g);
        }
        return new Caller(id, principal.FindFirstValue(Name) ?? principal.Identity.Name ?? "?",
            principal.HasClaim(Admin, "true"), principal.HasClaim(Robot, "true"), grants);
    }

    /// <summary>The partition key for rate limiting: the token if one was used, else the user, else null.</summary>
    public static string? RateLimitKey(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(TokenId) is { } token ? "t:" + token
        : principal.FindFirstValue(Subject) is { } sub ? "u:" + sub
        : null;
}

using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using SupplyChainMesh.Gateway.Identity.Access;
using SupplyChainMesh.Gateway.Identity.Infrastructure;

namespace SupplyChainMesh.Gateway.Identity.Authentication;

/// <summary>
/// After the identity provider's JWT is validated, turns its subject into a <see cref="Caller"/>: a local user of the
/// same name gives its teams' grants (and admin role); groups in the token that name local teams add theirs. A token
/// that names nobody gets no grants (it may still read what needs no repository access).
/// </summary>
public static class OidcCallerEnricher
{
    public const string SchemeName = "Oidc";

    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var o = context.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<IdentityOptions>>().Value.Oidc;
        var principal = context.Principal!;
        var username = principal.FindFirstValue(o.UsernameClaim) ?? principal.FindFirstValue("sub");
        if (string.IsNullOrEmpty(username))
        {
            context.Fail($"The token has neither '{o.UsernameClaim}' nor 'sub'.");
            return;
        }
        var db = context.HttpContext.RequestServices.GetRequiredService<IdentityDbContext>();
        var directory = context.HttpContext.RequestServices.GetRequiredService<CallerDirectory>();
        var ct = context.HttpContext.RequestAborted;
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Username == username, ct);
        if (user is { Disabled: true })
        {
            context.Fail("The user is disabled.");
            return;
        }
        var groups = principal.FindAll(o.GroupsClaim).Select(c => c.Value).Distinct(StringComparer.Ordinal).Take(100).ToList();
        var grants = await directory.GrantsOfTeamsAsync(groups, ct);
        var caller = user is null
            ? new Caller(Guid.Empty, username, false, false, grants)
            : await directory.ForUserAsync(user, ct) is var local ? local with { Grants = [.. local.Grants, .. grants] } : null!;
        context.Principal = CallerClaims.ToPrincipal(caller, SchemeName);
    }
}

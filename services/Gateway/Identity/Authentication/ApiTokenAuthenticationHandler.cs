using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Identity.Authentication;

/// <summary><c>Authorization: Bearer scm_...</c>: an API token of a user or robot, looked up by its hash on every
/// request (so revocation is immediate).</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CallerDirectory directory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerValue(Request) is not { } secret) return AuthenticateResult.NoResult();
        if (!TokenSecrets.LooksLikeSecret(secret)) return AuthenticateResult.Fail("Not an API token.");
        var found = await directory.FindByTokenAsync(secret, ApiTokenKind.Api, Context.RequestAborted);
        if (found is null) return AuthenticateResult.Fail("Unknown, revoked or expired API token.");
        var principal = CallerClaims.ToPrincipal(found.Caller, SchemeName, found.TokenId);
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    public static string? BearerValue(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && header.Length > 7 ? header[7..].Trim() : null;
    }
}

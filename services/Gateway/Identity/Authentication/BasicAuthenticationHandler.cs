using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace SupplyChainMesh.Gateway.Identity.Authentication;

/// <summary>
/// <c>Authorization: Basic</c> with a username and a password (or one of the user's API tokens): how a person gets
/// their first API token (<c>scm login</c> → <c>POST /api/tokens</c>). Same lockout and slowing as the registry's
/// token service. Tools should use API tokens after that: a password hash costs tens of milliseconds by design.
/// </summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    CredentialVerifier verifier)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!TryRead(Request.Headers.Authorization.ToString(), out var user, out var secret)) return AuthenticateResult.NoResult();
        var result = await verifier.VerifyAsync(user, secret, Context.RequestAborted);
        if (result.Outcome != CredentialVerifier.Outcome.Success)
            return AuthenticateResult.Fail(result.Outcome == CredentialVerifier.Outcome.Locked ? "The account is locked." : "Invalid credentials.");
        return AuthenticateResult.Success(new AuthenticationTicket(CallerClaims.ToPrincipal(result.Caller!, SchemeName), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Basic realm=\"scm\"";
        return Task.CompletedTask;
    }

    /// <summary>Decodes <c>Basic base64(user:secret)</c>; false for anything malformed.</summary>
    public static bool TryRead(string header, out string user, out string secret)
    {
        user = secret = "";
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        var encoded = header.AsSpan(6).Trim();
        if (encoded.Length is 0 or > 4096) return false;
        Span<byte> bytes = stackalloc byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, bytes, out var n)) return false;
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes[..n]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return false;
        user = text[..colon];
        secret = text[(colon + 1)..];
        return true;
    }
}

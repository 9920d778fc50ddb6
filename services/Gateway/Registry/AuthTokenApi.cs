using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SupplyChainMesh.Gateway.Identity;
using SupplyChainMesh.Gateway.Identity.Access;
using SupplyChainMesh.Gateway.Identity.Authentication;
using SupplyChainMesh.Gateway.Identity.Infrastructure;
using SupplyChainMesh.Gateway.Identity.Model;

namespace SupplyChainMesh.Gateway.Registry;

/// <summary>
/// The registry's token service (<c>auth.token.realm</c>): <c>GET /auth/token</c> as in the Docker registry token
/// authentication spec (basic auth with a password or an API token, or a bearer API token; <c>offline_token=true</c>
/// adds a refresh token) and <c>POST /auth/token</c> with the OAuth2 <c>password</c> and <c>refresh_token</c> grants
/// that <c>docker login</c> uses. Requested scopes are cut down to what the caller may do.
/// </summary>
public static partial class AuthTokenApi
{
    public sealed record TokenResponse(
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("issued_at")] string IssuedAt,
        [property: JsonPropertyName("scope")] string Scope,
        [property: JsonPropertyName("refresh_token")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken);

    public static IEndpointRouteBuilder MapAuthTokenApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/auth").WithTags("Registry token service").AllowAnonymous();
        api.MapGet("/token", GetAsync);
        api.MapPost("/token", PostAsync).DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> GetAsync(
        HttpContext http, [FromQuery] string? service, [FromQuery(Name = "offline_token")] string? offlineToken,
        [FromQuery(Name = "client_id")] string? clientId, CredentialVerifier verifier, CallerDirectory directory,
        TokenService tokens, CancellationToken ct)
    {
        var scopes = http.Request.Query["scope"];
        var header = http.Request.Headers.Authorization.ToString();
        Caller? caller;
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            if (!BasicAuthenticationHandler.TryRead(header, out var user, out var secret))
                return Error(StatusCodes.Status400BadRequest, "INVALID_REQUEST", "The basic credentials are malformed.");
            var result = await verifier.VerifyAsync(user, secret, ct);
            if (result.Outcome != CredentialVerifier.Outcome.Success)
                return Unauthorized(result.Outcome == CredentialVerifier.Outcome.Locked ? "The account is locked." : "Invalid credentials.");
            caller = result.Caller!;
        }
        else if (ApiTokenAuthenticationHandler.BearerValue(http.Request) is { } bearer)
        {
            var found = await directory.FindByTokenAsync(bearer, ApiTokenKind.Api, ct);
            if (found is null) return Unauthorized("Unknown, revoked or expired token.");
            caller = found.Caller;
        }
        else
        {
            return Unauthorized("Credentials are required.");
        }
        var wantRefresh = string.Equals(offlineToken, "true", StringComparison.OrdinalIgnoreCase);
        return await tokens.IssueAsync(caller, service, scopes!, wantRefresh ? clientId ?? "registry-client" : null, ct);
    }

    private static async Task<IResult> PostAsync(HttpContext http, CredentialVerifier verifier, CallerDirectory directory, TokenService tokens, CancellationToken ct)
    {
        if (!http.Request.HasFormContentType)
            return OAuthError("invalid_request", "Expected application/x-www-form-urlencoded.");
        var form = await http.Request.ReadFormAsync(ct);
        var grant = form["grant_type"].ToString();
        var service = form["service"].ToString();
        var clientId = form["client_id"].ToString() is { Length: > 0 } c ? c : "registry-client";
        Caller caller;
        string? refreshFor = null;
        switch (grant)
        {
            case "password":
                var result = await verifier.VerifyAsync(form["username"].ToString(), form["password"].ToString(), ct);
                if (result.Outcome != CredentialVerifier.Outcome.Success)
                    return OAuthError("invalid_grant", result.Outcome == CredentialVerifier.Outcome.Locked ? "The account is locked." : "Invalid credentials.", StatusCodes.Status401Unauthorized);
                caller = result.Caller!;
                if (string.Equals(form["access_type"], "offline", StringComparison.Ordinal)) refreshFor = clientId;
                break;
            case "refresh_token":
                var found = await directory.FindByTokenAsync(form["refresh_token"].ToString(), ApiTokenKind.Refresh, ct);
                if (found is null) return OAuthError("invalid_grant", "Unknown, revoked or expired refresh token.", StatusCodes.Status401Unauthorized);
                caller = found.Caller;
                break;
            default:
                return OAuthError("unsupported_grant_type", "grant_type must be 'password' or 'refresh_token'.");
        }
        return await tokens.IssueAsync(caller, service, form["scope"]!, refreshFor, ct);
    }

    /// <summary>Issues the JWT (and a refresh token when asked); the shared tail of both endpoints.</summary>
    public sealed partial class TokenService(
        RegistryTokenIssuer issuer, IdentityDbContext db, IOptions<IdentityOptions> options, TimeProvider clock, ILogger<TokenService> logger)
    {
        public async Task<IResult> IssueAsync(Caller caller, string? service, IEnumerable<string?> scopeValues, string? refreshForClient, CancellationToken ct)
        {
            var signing = options.Value.TokenSigning;
            if (!string.Equals(service, signing.Service, StringComparison.Ordinal))
            {
                LogWrongService(logger, caller.Name);
                return Error(StatusCodes.Status400BadRequest, "INVALID_REQUEST", $"Tokens are issued for the service '{signing.Service}' only.");
            }
            if (!RegistryScope.TryParseAll(scopeValues, out var requested, out var error))
            {
                LogMalformedScope(logger, caller.Name, error!);
                return Error(StatusCodes.Status400BadRequest, "INVALID_SCOPE", error!);
            }
            var granted = ScopeGranter.Grant(caller, requested);
            if (!SameActions(requested, granted))
                LogScopeCut(logger, caller.Name, string.Join(' ', requested), string.Join(' ', granted));

            string? refresh = null;
            if (refreshForClient is not null)
            {
                refresh = TokenSecrets.NewSecret();
                db.ApiTokens.Add(new ApiToken
                {
                    UserId = caller.UserId,
                    Name = "refresh:" + (refreshForClient.Length > 100 ? refreshForClient[..100] : refreshForClient),
                    Kind = ApiTokenKind.Refresh,
                    SecretHash = TokenSecrets.Hash(refresh),
                    Prefix = TokenSecrets.DisplayPrefix(refresh),
                    ExpiresAt = clock.GetUtcNow().Add(signing.RefreshTokenLifetime),
                });
                db.Record(caller.Name, "token.refresh.created", $"user:{caller.Name}", refreshForClient);
                await db.SaveChangesAsync(ct);
            }
            var token = issuer.Issue(caller.Name, granted);
            return TypedResults.Json(new TokenResponse(token.Token, token.Token, token.ExpiresIn,
                token.IssuedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                string.Join(' ', granted), refresh));
        }

        private static bool SameActions(List<RegistryScope> requested, List<RegistryScope> granted) =>
            requested.Count == granted.Count && requested.Zip(granted).All(p => p.First.Name == p.Second.Name && p.First.Actions.Count == p.Second.Actions.Count);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Registry token for {User} refused: wrong service")]
        private static partial void LogWrongService(ILogger logger, string user);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Registry token for {User} refused: malformed scope ({Reason})")]
        private static partial void LogMalformedScope(ILogger logger, string user, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Registry token for {User}: requested '{Requested}', granted only '{Granted}'")]
        private static partial void LogScopeCut(ILogger logger, string user, string requested, string granted);
    }

    /// <summary>The registry's error body (<c>{"errors":[{"code","message"}]}</c>), which docker clients print.</summary>
    public sealed record RegistryErrors(IReadOnlyList<RegistryError> Errors);

    public sealed record RegistryError(string Code, string Message);

    public sealed record OAuthErrorBody(
        [property: JsonPropertyName("error")] string Error,
        [property: JsonPropertyName("error_description")] string Description);

    private static JsonHttpResult<RegistryErrors> Unauthorized(string message) => Error(StatusCodes.Status401Unauthorized, "UNAUTHORIZED", message);

    private static JsonHttpResult<RegistryErrors> Error(int status, string code, string message) =>
        TypedResults.Json(new RegistryErrors([new RegistryError(code, message)]), statusCode: status);

    private static JsonHttpResult<OAuthErrorBody> OAuthError(string error, string description, int status = StatusCodes.Status400BadRequest) =>
        TypedResults.Json(new OAuthErrorBody(error, description), statusCode: status);
}

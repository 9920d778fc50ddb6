using System.Text.Json.Serialization;
using SupplyChainMesh.Gateway.Identity.Access;
using SupplyChainMesh.Gateway.Identity.Authentication;
using SupplyChainMesh.Gateway.Proxy;

namespace SupplyChainMesh.Gateway.Apis;

/// <summary>
/// <c>POST /auth/service-token</c>: a robot account (basic auth: its name and API token) gets a forwarded identity
/// (<c>X-SCM-Identity</c>) of its own, to call other services directly, no hop through the gateway. The grants are
/// the robot's cut down to read: services only read from each other (scan progress, layer analyses, assessments), so a
/// leaked identity cannot write anything, and never the admin role. Users get none: they come through the gateway.
/// </summary>
public static partial class ServiceTokenApi
{
    public sealed record ServiceTokenResponse(
        [property: JsonPropertyName("token")] string Token,
        [property: JsonPropertyName("expires_in")] int ExpiresIn,
        [property: JsonPropertyName("grants")] IReadOnlyList<string> Grants);

    public static IEndpointRouteBuilder MapServiceTokenApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth/service-token", IssueAsync).WithTags("Service identity").AllowAnonymous().DisableAntiforgery();
        return app;
    }

    private static async Task<IResult> IssueAsync(HttpContext http, CredentialVerifier verifier, ForwardedIdentitySigner signer, ILoggerFactory loggers, CancellationToken ct)
    {
        var logger = loggers.CreateLogger(typeof(ServiceTokenApi));
        if (!BasicAuthenticationHandler.TryRead(http.Request.Headers.Authorization.ToString(), out var name, out var secret))
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"scm\"";
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Robot credentials required",
                detail: "Send the robot's name and API token as basic credentials.");
        }
        var result = await verifier.VerifyAsync(name, secret, ct);
        if (result.Outcome != CredentialVerifier.Outcome.Success)
        {
            LogRefused(logger, name, "invalid credentials");
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid credentials");
        }
        var caller = result.Caller!;
        if (!caller.IsRobot)
        {
            LogRefused(logger, name, "not a robot");
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not a robot account",
                detail: "Service identities are issued to robot accounts only; people call through the gateway.");
        }
        var readOnly = ReadOnly(caller);
        var (token, lifetime) = signer.SignForService(CallerClaims.ToPrincipal(readOnly, "ServiceToken"));
        var grants = readOnly.Grants.Select(g => g.ToString()).ToList();
        LogIssued(logger, caller.Name, string.Join(' ', grants));
        return TypedResults.Json(new ServiceTokenResponse(token, (int)lifetime.TotalSeconds is > 0 and var s ? s : 1, grants));
    }

    /// <summary>The robot's grants at read level (duplicates merged), without the admin role.</summary>
    public static Caller ReadOnly(Caller robot) =>
        robot with { IsAdmin = false, Grants = robot.Grants.Select(g => g with { Level = AccessLevel.Read }).Distinct().ToList() };

    [LoggerMessage(Level = LogLevel.Information, Message = "Service identity issued to robot {Robot}: {Grants}")]
    private static partial void LogIssued(ILogger logger, string robot, string grants);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Service identity refused for {Name}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string name, string reason);
}

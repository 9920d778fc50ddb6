using SupplyChainMesh.Gateway.Identity.Authentication;

namespace SupplyChainMesh.Gateway.Proxy;

/// <summary>Runs <see cref="RouteAccessRules"/> in YARP's pipeline, before a request is sent to a backend.</summary>
public sealed partial class RouteAccessMiddleware(RequestDelegate next, ILogger<RouteAccessMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var caller = context.User.ToCaller();
        var repository = context.Request.Query.TryGetValue("repository", out var r) ? r.ToString() : null;
        var decision = RouteAccessRules.Check(caller, context.Request.Method, context.Request.Path, repository);
        if (decision.Verdict == RouteAccessRules.Verdict.Allow)
        {
            await next(context);
            return;
        }
        var status = decision.Verdict switch
        {
            RouteAccessRules.Verdict.Unauthenticated => StatusCodes.Status401Unauthorized,
            RouteAccessRules.Verdict.BadRequest => StatusCodes.Status400BadRequest,
            _ => StatusCodes.Status403Forbidden,
        };
        LogRefused(logger, context.Request.Method, context.Request.Path, caller?.Name ?? "anonymous", status);
        context.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Detail = decision.Reason },
        });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} refused for {Caller} with {Status}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string caller, int status);
}

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
        if (decision.Verdict == RouteAccessRules.Verdict.Allow && caller is not null && IsScanRequest(context.Request))
            decision = await CheckScanRequestAsync(context.Request, caller);
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

    private static bool IsScanRequest(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals("/api/images/scan", StringComparison.OrdinalIgnoreCase);

    /// <summary>The repository in a scan request's body needs read (or push) for the caller; the body is buffered so
    /// YARP still sends it on.</summary>
    private static async Task<RouteAccessRules.Decision> CheckScanRequestAsync(HttpRequest request, Identity.Access.Caller caller)
    {
        if (request.ContentLength > ScanRequestRepository.MaxBodyBytes)
            return new(RouteAccessRules.Verdict.BadRequest, "A scan request body is a small JSON object.");
        request.EnableBuffering(ScanRequestRepository.MaxBodyBytes);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        if (buffer.Length > ScanRequestRepository.MaxBodyBytes)
            return new(RouteAccessRules.Verdict.BadRequest, "A scan request body is a small JSON object.");
        if (ScanRequestRepository.FromBody(buffer.GetBuffer().AsSpan(0, (int)buffer.Length)) is not { } repository)
            return RouteAccessRules.Decision.Allowed; // Ingest answers a body without a reference with 400
        if (!Identity.Access.RepositoryNames.IsValid(repository))
            return new(RouteAccessRules.Verdict.BadRequest, "The reference does not name a valid repository.");
        return caller.Can(repository, Identity.Access.AccessLevel.Read)
            ? RouteAccessRules.Decision.Allowed
            : new(RouteAccessRules.Verdict.Forbidden, $"No read access to '{repository}'.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} refused for {Caller} with {Status}")]
    private static partial void LogRefused(ILogger logger, string method, string path, string caller, int status);
}

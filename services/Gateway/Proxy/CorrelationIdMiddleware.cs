using System.Diagnostics;

namespace SupplyChainMesh.Gateway.Proxy;

/// <summary>
/// Every request carries <c>X-Correlation-Id</c> to the backend and back to the caller: the caller's own when it is a
/// sane value (at most 64 characters of letters, digits, '-', '_', '.'), else a new one. It also scopes the logs.
/// </summary>
public sealed class CorrelationIdMiddleware(RequestDelegate next, ILogger<CorrelationIdMiddleware> logger)
{
    public const string Header = "X-Correlation-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var given = context.Request.Headers[Header].ToString();
        var id = IsSane(given) ? given : Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");
        context.Request.Headers[Header] = id;
        context.Response.Headers[Header] = id;
        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = id }))
        {
            await next(context);
        }
    }

    private static bool IsSane(string value)
    {
        if (value.Length is 0 or > 64) return false;
        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')) return false;
        }
        return true;
    }
}

using Microsoft.Extensions.Options;

namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>Only a caller that knows the shared secret (<c>Authorization: Bearer SECRET</c>) may report pushes.</summary>
public sealed class WebhookSecretFilter(IOptions<IngestOptions> options, ILogger<WebhookSecretFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (!WebhookSecret.IsPresented(context.HttpContext.Request, options.Value.WebhookSecret))
        {
            logger.LogWarning("Webhook from {Remote} refused: missing or wrong secret", context.HttpContext.Connection.RemoteIpAddress);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
                detail: "A webhook must carry the configured shared secret as 'Authorization: Bearer <secret>'.");
        }
        return await next(context);
    }
}

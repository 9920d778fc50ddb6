using SupplyChainMesh.Gateway.Identity.Authentication;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace SupplyChainMesh.Gateway.Proxy;

/// <summary>
/// What the gateway changes on the way to a backend: a caller-supplied <c>X-SCM-Identity</c> is always dropped (only
/// the gateway speaks for callers), the caller's own <c>Authorization</c> is replaced by the signed identity, except
/// on registry webhooks, whose shared secret Ingest checks itself.
/// </summary>
public static class ProxyTransforms
{
    public static void Apply(TransformBuilderContext context) =>
        context.AddRequestTransform(transform =>
        {
            var headers = transform.ProxyRequest.Headers;
            headers.Remove(ForwardedIdentitySigner.Header);
            var http = transform.HttpContext;
            if (http.Request.Path.StartsWithSegments("/api/registry", StringComparison.OrdinalIgnoreCase)) return ValueTask.CompletedTask;
            headers.Authorization = null;
            if (http.User.Identity?.IsAuthenticated == true && http.User.FindFirst(CallerClaims.Subject) is not null)
            {
                var signer = http.RequestServices.GetRequiredService<ForwardedIdentitySigner>();
                headers.TryAddWithoutValidation(ForwardedIdentitySigner.Header, signer.SignFor(http.User));
            }
            return ValueTask.CompletedTask;
        });
}

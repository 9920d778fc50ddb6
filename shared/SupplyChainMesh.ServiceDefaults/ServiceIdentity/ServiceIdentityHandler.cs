using System.Net;

namespace SupplyChainMesh.ServiceDefaults.ServiceIdentity;

/// <summary>
/// Sends the service's own identity (<see cref="ForwardedIdentityExtensions.Header"/>) on a typed HttpClient's calls
/// to another service, which checks it like any forwarded caller's. Does nothing when no robot is configured.
/// </summary>
public sealed class ServiceIdentityHandler(ServiceTokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!tokens.Enabled) return await base.SendAsync(request, cancellationToken);
        string token;
        try
        {
            token = await tokens.GetAsync(cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            // The gateway refused the robot (revoked, disabled): answer as the callee would without an identity. A
            // refusal is no transient fault, so the resilience handler does not retry it (it would an exception).
            return new HttpResponseMessage(ex.StatusCode.Value) { RequestMessage = request, ReasonPhrase = "Service identity refused by the gateway" };
        }
        request.Headers.Remove(ForwardedIdentityExtensions.Header);
        request.Headers.TryAddWithoutValidation(ForwardedIdentityExtensions.Header, token);
        var response = await base.SendAsync(request, cancellationToken);
        // Refused although not expired (the gateway's key changed, say): the next call starts from a new identity.
        if (response.StatusCode == HttpStatusCode.Unauthorized) tokens.Forget(token);
        return response;
    }
}

using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Ingest.Webhooks;

/// <summary>The shared secret registries (and scripts calling the scan API directly) send as
/// <c>Authorization: Bearer SECRET</c>.</summary>
public static class WebhookSecret
{
    /// <summary>Whether the request carries <paramref name="expected"/>, compared in constant time. An empty configured
    /// secret matches nothing.</summary>
    public static bool IsPresented(HttpRequest request, string expected)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        return expected.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
    }

    /// <summary>Lets the shared secret stand in for a forwarded identity on <c>POST /api/images/scan</c>: a caller with
    /// the secret may scan any repository, as a registry reporting a push may. Runs before
    /// <see cref="ForwardedIdentityExtensions.UseForwardedIdentity"/>, which keeps refusing (401) a caller with neither.</summary>
    public static WebApplication UseWebhookSecretForScans(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var secret = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<IngestOptions>>();
        app.Use(async (context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/api/images/scan") && IsPresented(context.Request, secret.Value.WebhookSecret))
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity(
                    [new Claim("name", "webhook-secret"), new Claim(ForwardedIdentityExtensions.GrantClaim, "*=read")], "WebhookSecret", "name", null));
            }
            await next(context);
        });
        return app;
    }
}

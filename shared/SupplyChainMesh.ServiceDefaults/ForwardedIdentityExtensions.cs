using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace SupplyChainMesh.ServiceDefaults;

/// <summary>
/// Opt-in for a service: trust the caller identity the gateway forwards in <c>X-SCM-Identity</c> (a short-lived JWT
/// signed with the gateway's key) and nothing else, so the service can check again what it owns. Configuration
/// <c>Identity:Forwarded</c>: <c>CertificatePath</c> (PEM of the gateway's signing certificate; required),
/// <c>Issuer</c> (default <c>scm-gateway</c>), <c>Audience</c> (default <c>scm-services</c>), <c>AnonymousHttpsPaths</c>
/// (paths served without an identity when they come over HTTPS: the Kubernetes API server calling the admission webhook
/// on its TLS port, which authenticates the webhook by its certificate and sends no identity; none by default).
/// Wire it with <c>builder.AddForwardedIdentity()</c> and <c>app.UseForwardedIdentity()</c> (both do nothing while
/// <c>CertificatePath</c> is unset): every <c>/api</c> call then needs a valid identity, a call naming a repository
/// (<c>?repository=</c>) needs read on it, and handlers use <see cref="CanAccess"/> / <see cref="IsNamespaceAdmin"/>
/// for the resource at hand (e.g. admin of the namespace a policy promotes into).
/// </summary>
public static class ForwardedIdentityExtensions
{
    public const string Header = "X-SCM-Identity";
    public const string SchemeName = "ScmForwardedIdentity";
    public const string GrantClaim = "scm_grant";
    public const string AdminClaim = "scm_admin";

    public static IHostApplicationBuilder AddForwardedIdentity(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Identity:Forwarded");
        if (section["CertificatePath"] is not { Length: > 0 } certificatePath) return builder;
        if (!File.Exists(certificatePath))
            throw new InvalidOperationException($"Identity:Forwarded:CertificatePath '{certificatePath}' does not exist (PEM of the gateway's signing certificate).");
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(certificatePath);
        var signer = certificates[0];
        SecurityKey key = signer.GetRSAPublicKey() is { } rsa
            ? new RsaSecurityKey(rsa)
            : new ECDsaSecurityKey(signer.GetECDsaPublicKey() ?? throw new InvalidOperationException("The gateway certificate holds neither an RSA nor an EC key."));

        builder.Services.AddAuthentication(SchemeName).AddJwtBearer(SchemeName, o =>
        {
            o.MapInboundClaims = false;
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = section["Issuer"] ?? "scm-gateway",
                ValidAudience = section["Audience"] ?? "scm-services",
                IssuerSigningKey = key,
                // Only the gateway's own algorithms: never 'none', never HMAC keyed with the public key.
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.EcdsaSha256],
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = "name",
            };
            o.Events = new JwtBearerEvents
            {
                // The identity comes in its own header; the caller's Authorization never reaches a service.
                OnMessageReceived = context =>
                {
                    context.Token = context.Request.Headers[Header].ToString() is { Length: > 0 } token ? token : null;
                    return Task.CompletedTask;
                },
            };
        });
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton(new ForwardedIdentityMarker(section.GetSection("AnonymousHttpsPaths").Get<string[]>() ?? []));
        return builder;
    }

    /// <summary>Authentication from the forwarded identity and the coarse re-check of every <c>/api</c> call (registry
    /// webhooks excepted: they carry their own shared secret). Nothing happens unless <see cref="AddForwardedIdentity"/>
    /// was configured.</summary>
    public static WebApplication UseForwardedIdentity(this WebApplication app)
    {
        if (app.Services.GetService<ForwardedIdentityMarker>() is not { } marker) return app;
        app.UseAuthentication();
        app.UseAuthorization();
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/api") && !path.StartsWithSegments("/api/registry")
                && !(context.Request.IsHttps && marker.AnonymousHttpsPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase))))
            {
                if (context.User.Identity?.IsAuthenticated != true)
                {
                    context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    return;
                }
                if (context.Request.Query.TryGetValue("repository", out var repository) && !context.User.CanAccess(repository.ToString(), "read"))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }
            }
            await next(context);
        });
        return app;
    }

    /// <summary>Whether the forwarded caller holds at least <paramref name="level"/> (<c>read</c>, <c>read-write</c>,
    /// <c>admin</c>) on <paramref name="repository"/>, by the same pattern rules as the gateway.</summary>
    public static bool CanAccess(this ClaimsPrincipal principal, string repository, string level)
    {
        if (principal.HasClaim(AdminClaim, "true")) return true;
        var needed = IndexOfLevel(level);
        if (needed < 0) throw new ArgumentOutOfRangeException(nameof(level), level, "read, read-write or admin");
        foreach (var claim in principal.FindAll(GrantClaim))
        {
            var eq = claim.Value.LastIndexOf('=');
            if (eq > 0 && PatternMatches(claim.Value[..eq], repository) && IndexOfLevel(claim.Value[(eq + 1)..]) >= needed) return true;
        }
        return false;
    }

    /// <summary>Whether the caller may read every repository: the admin role, a <c>*</c> grant, or no forwarded identity
    /// at all (checks off: with them on, <see cref="UseForwardedIdentity"/> has already refused an anonymous call).</summary>
    public static bool ReadsEverything(this ClaimsPrincipal principal) =>
        principal.Identity?.IsAuthenticated != true
        || principal.HasClaim(AdminClaim, "true")
        || principal.FindAll(GrantClaim).Any(c => c.Value is "*=read" or "*=read-write" or "*=admin");

    /// <summary>Admin of a whole namespace (<c>*</c> or <c>NAMESPACE/*</c> at admin level, or the admin role).</summary>
    public static bool IsNamespaceAdmin(this ClaimsPrincipal principal, string ns) =>
        principal.HasClaim(AdminClaim, "true")
        || principal.FindAll(GrantClaim).Any(c => c.Value == "*=admin" || c.Value == ns + "/*=admin");

    /// <summary>The gateway's pattern rule: <c>*</c> matches every repository, <c>NS/*</c> every repository under
    /// <c>NS/</c>, anything else only itself.</summary>
    public static bool PatternMatches(string pattern, string repository) =>
        pattern == "*"
        || (pattern.EndsWith("/*", StringComparison.Ordinal)
            ? repository.Length > pattern.Length - 1 && repository.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : string.Equals(pattern, repository, StringComparison.Ordinal));

    private sealed record ForwardedIdentityMarker(string[] AnonymousHttpsPaths);

    private static int IndexOfLevel(string level) => level switch
    {
        "read" => 0,
        "read-write" => 1,
        "admin" => 2,
        _ => -1,
    };
}

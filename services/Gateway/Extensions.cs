using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.IdentityModel.Tokens;
using Scalar.AspNetCore;
using SupplyChainMesh.Gateway.Apis;
using SupplyChainMesh.Gateway.Identity;
using SupplyChainMesh.Gateway.Identity.Authentication;
using SupplyChainMesh.Gateway.Identity.Bootstrap;
using SupplyChainMesh.Gateway.Identity.Infrastructure;
using SupplyChainMesh.Gateway.Identity.Model;
using SupplyChainMesh.Gateway.OpenApi;
using SupplyChainMesh.Gateway.Proxy;
using SupplyChainMesh.Gateway.Registry;
using SupplyChainMesh.Persistence.Startup;
using SupplyChainMesh.ServiceDefaults;
using IdentityOptions = SupplyChainMesh.Gateway.Identity.IdentityOptions;

namespace SupplyChainMesh.Gateway;

internal static partial class Extensions
{
    private const string SelectorScheme = "ApiTokenOrOidc";

    /// <summary>YARP routes <c>/api/...</c> to the service that owns it; routes and backend addresses come from the
    /// <c>ReverseProxy</c> configuration section (appsettings, overridable by environment variables such as
    /// <c>ReverseProxy__Clusters__ingest__Destinations__d1__Address</c>). Active health checks take a dead backend out.
    /// The gateway also owns identity (schema <c>identity</c>) and the registry's token service.</summary>
    public static IHostApplicationBuilder AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase<IdentityDbContext>(IdentityDbContext.Schema);
        var section = builder.Configuration.GetSection(IdentityOptions.Section);
        builder.Services.Configure<IdentityOptions>(section);
        var identity = section.Get<IdentityOptions>() ?? new IdentityOptions();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(LoadSigningKey(identity.TokenSigning));
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<CallerCache>();
        builder.Services.AddScoped<CallerDirectory>();
        builder.Services.AddScoped<CredentialVerifier>();
        builder.Services.AddSingleton<RegistryTokenIssuer>();
        builder.Services.AddScoped<AuthTokenApi.TokenService>();
        builder.Services.AddSingleton<ForwardedIdentitySigner>();
        builder.Services.AddHostedService<IdentitySeeder>();

        AddAuthentication(builder, identity.Oidc);
        builder.Services.AddAuthorization(GatewayPolicies.Configure);
        AddRateLimiting(builder);
        // A health probe must report what it sees now: no retries or hedging from the default resilience handler.
#pragma warning disable EXTEXP0001 // evaluation API; the alternative is an unmanaged HttpClient of our own
        builder.Services.AddHttpClient(nameof(BackendHealth)).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        // The gateway's own OpenAPI document comes from AddServiceDefaults; /openapi/mesh.json merges it with every
        // backend's, fetched without retries (a dead backend is left out, not waited for).
#pragma warning disable EXTEXP0001 // see above
        builder.Services.AddHttpClient(MeshOpenApiApi.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(5)).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001

        builder.Services.AddReverseProxy()
            .LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"))
            .AddTransforms(ProxyTransforms.Apply);
        return builder;
    }

    public static WebApplication MapGatewayEndpoints(this WebApplication app)
    {
        app.MapDefaultEndpoints();
        app.MapBackendHealth();
        app.MapAuthTokenApi();
        app.MapServiceTokenApi();
        app.MapTokensApi();
        app.MapUsersApi();
        app.MapTeamsApi();
        app.MapPermissionsApi();
        app.MapAuditApi();
        app.MapMeshOpenApi();
        // The reference page shows the whole API by default; the gateway's own document stays selectable.
        app.MapScalarApiReference(o => o
            .AddDocument("mesh", "SupplyChainMesh API", MeshOpenApiApi.Path, isDefault: true)
            .AddDocument(OpenApiExtensions.DocumentName, "Gateway only", OpenApiExtensions.DocumentPath));
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<RouteAccessMiddleware>();
            proxy.UseSessionAffinity();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }

    private static TokenSigningKey LoadSigningKey(TokenSigningOptions o)
    {
        if (o.KeyPath.Length > 0 || o.CertificatePath.Length > 0)
        {
            if (!File.Exists(o.KeyPath) || !File.Exists(o.CertificatePath))
                throw new InvalidOperationException(
                    $"Identity:TokenSigning: KeyPath '{o.KeyPath}' and CertificatePath '{o.CertificatePath}' must both name existing PEM files.");
            return TokenSigningKey.FromPemFiles(o.KeyPath, o.CertificatePath);
        }
        // No files: a key that lives as long as the process; a registry cannot trust its tokens.
        return TokenSigningKey.CreateEphemeral();
    }

    /// <summary>API tokens (<c>Bearer scm_...</c>) always; an identity provider's JWTs too when
    /// <c>Identity:Oidc:Authority</c> is set. The bearer's shape picks the handler.</summary>
    private static void AddAuthentication(IHostApplicationBuilder builder, OidcOptions oidc)
    {
        var oidcEnabled = oidc.Authority.Length > 0;
        var auth = builder.Services.AddAuthentication(SelectorScheme)
            .AddPolicyScheme(SelectorScheme, "API token, basic or OIDC bearer", o => o.ForwardDefaultSelector = context =>
                // The token service checks basic credentials itself (once: a second check would count a failure twice).
                !context.Request.Path.StartsWithSegments("/auth") && context.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)
                    ? BasicAuthenticationHandler.SchemeName
                    : oidcEnabled && ApiTokenAuthenticationHandler.BearerValue(context.Request) is { } bearer && !bearer.StartsWith(TokenSecrets.Prefix, StringComparison.Ordinal)
                        ? OidcCallerEnricher.SchemeName
                        : ApiTokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null);
        if (!oidcEnabled) return;
        auth.AddJwtBearer(OidcCallerEnricher.SchemeName, o =>
        {
            o.Authority = oidc.Authority;
            o.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            o.MapInboundClaims = false;
            o.TokenValidationParameters.ValidateAudience = oidc.Audience.Length > 0;
            o.TokenValidationParameters.ValidAudience = oidc.Audience;
            // Asymmetric algorithms only: 'none' and HMAC (which an attacker could key with the public key) never pass.
            o.TokenValidationParameters.ValidAlgorithms =
                [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
                 SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.EcdsaSha384];
            o.Events = new Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerEvents { OnTokenValidated = OidcCallerEnricher.OnTokenValidatedAsync };
        });
    }

    /// <summary>A token bucket per API token (or user, or client address when anonymous), configured by
    /// <c>Gateway:RateLimit:PermitsPerSecond</c> and <c>:Burst</c>; beyond it, 429.</summary>
    private static void AddRateLimiting(IHostApplicationBuilder builder)
    {
        var perSecond = builder.Configuration.GetValue("Gateway:RateLimit:PermitsPerSecond", 50);
        var burst = builder.Configuration.GetValue("Gateway:RateLimit:Burst", 100);
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetTokenBucketLimiter(
                    context.User.RateLimitKey() ?? "ip:" + context.Connection.RemoteIpAddress,
                    _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = burst,
                        TokensPerPeriod = perSecond,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
        });
    }
}

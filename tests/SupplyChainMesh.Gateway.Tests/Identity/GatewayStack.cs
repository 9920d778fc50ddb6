using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SupplyChainMesh.Gateway.Identity.Authentication;
using SupplyChainMesh.Gateway.Registry;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Gateway.Tests.Identity;

/// <summary>
/// The real parts on loopback, in the identity helper's port range: the gateway (its Program, on Kestrel, port 9201)
/// with a fresh PostgreSQL database and a signing key made for the run; a Debian docker-registry (9202) configured
/// for token auth against that gateway; an echo backend (9203) standing in for every service, which answers with the
/// headers it received. Seed: the appsettings teams (developers → dev/*, qa → qa/*, robots-promoter) and users
/// dev1, dev2 (developers), qa1 (qa), locky (developers, for lockout tests) and the promoter robot's token; an OIDC
/// provider (9206) whose bearer tokens the gateway also accepts.
/// </summary>
public sealed class GatewayStack : IAsyncLifetime
{
    public const int GatewayPort = 9201;
    public const int RegistryPort = 9202;
    public const int BackendPort = 9203;
    public const int MaxFailures = 3;

    public static string Registry => $"127.0.0.1:{RegistryPort}";
    public Uri GatewayUri { get; } = new($"http://127.0.0.1:{GatewayPort}");
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "scm-identity-" + Guid.NewGuid().ToString("N")[..12]);
    public string KeyPath => Path.Combine(Directory, "token.key");
    public string CertificatePath => Path.Combine(Directory, "token.crt");
    public CapturedLogs Logs { get; } = new();

    public string AdminPassword { get; } = "Adm1n-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
    public string DeveloperPassword { get; } = "Dev-pass-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
    public string QaPassword { get; } = "Qa-pass-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
    public string LockyPassword { get; } = "Locky-pass-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
    public string PromoterToken { get; } = TokenSecrets.NewSecret();

    /// <summary>The robots services call each other as (appsettings: ingest, policyengine, feedsync read everything),
    /// <c>devreader</c> (reads dev/* only) and <c>spare</c> (reads everything; the revocation test revokes it).</summary>
    public string IngestToken { get; } = TokenSecrets.NewSecret();
    public string PolicyEngineToken { get; } = TokenSecrets.NewSecret();
    public string FeedSyncToken { get; } = TokenSecrets.NewSecret();
    public string DevReaderToken { get; } = TokenSecrets.NewSecret();
    public string SpareToken { get; } = TokenSecrets.NewSecret();

    /// <summary>A service identity lives this long here, so a test sees one expire within seconds.</summary>
    public static readonly TimeSpan ServiceTokenLifetime = TimeSpan.FromSeconds(3);

    /// <summary>Every secret the stack knows, for the log leak check.</summary>
    public IEnumerable<string> Secrets => [AdminPassword, DeveloperPassword, QaPassword, LockyPassword, PromoterToken,
        IngestToken, PolicyEngineToken, FeedSyncToken, DevReaderToken, SpareToken];

    public HttpClient Http { get; } = new() { BaseAddress = new Uri($"http://127.0.0.1:{GatewayPort}") };

    public FakeIdentityProvider IdentityProvider { get; } = new();

    private GatewayFactory? _gateway;
    private WebApplication? _backend;
    private Process? _registry;
    private readonly StringBuilder _registryLog = new();

    public IServiceProvider Services => _gateway!.Services;

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        using (var rsa = RSA.Create(2048))
        {
            using var cert = TokenSigningKey.CreateSelfSigned(rsa, "CN=scm-gateway-test", TimeSpan.FromDays(2));
            await File.WriteAllTextAsync(KeyPath, rsa.ExportPkcs8PrivateKeyPem());
            await File.WriteAllTextAsync(CertificatePath, cert.ExportCertificatePem());
        }

        _backend = await StartEchoBackendAsync();
        await IdentityProvider.StartAsync();
        var database = await BackingServices.FreshDatabaseAsync("identity");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database,
            ["Identity:BootstrapAdmin:Username"] = "admin",
            ["Identity:BootstrapAdmin:Password"] = AdminPassword,
            ["Identity:TokenSigning:KeyPath"] = KeyPath,
            ["Identity:TokenSigning:CertificatePath"] = CertificatePath,
            ["Identity:Lockout:MaxFailures"] = MaxFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Identity:Lockout:FailureDelay"] = "00:00:00.050",
            ["Identity:Seed:Users:0:Username"] = "dev1",
            ["Identity:Seed:Users:0:Password"] = DeveloperPassword,
            ["Identity:Seed:Users:0:Teams:0"] = "developers",
            ["Identity:Seed:Users:1:Username"] = "dev2",
            ["Identity:Seed:Users:1:Password"] = DeveloperPassword,
            ["Identity:Seed:Users:1:Teams:0"] = "developers",
            ["Identity:Seed:Users:2:Username"] = "qa1",
            ["Identity:Seed:Users:2:Password"] = QaPassword,
            ["Identity:Seed:Users:2:Teams:0"] = "qa",
            ["Identity:Seed:Users:3:Username"] = "locky",
            ["Identity:Seed:Users:3:Password"] = LockyPassword,
            ["Identity:Seed:Users:3:Teams:0"] = "developers",
            ["Identity:Seed:Robots:0:Token"] = PromoterToken,
            ["Identity:Seed:Robots:2:Token"] = IngestToken,
            ["Identity:Seed:Robots:3:Token"] = PolicyEngineToken,
            ["Identity:Seed:Robots:4:Token"] = FeedSyncToken,
            ["Identity:Seed:Teams:6:Name"] = "robots-dev-readers",
            ["Identity:Seed:Teams:6:Permissions:0"] = "dev/*=read",
            ["Identity:Seed:Robots:5:Name"] = "devreader",
            ["Identity:Seed:Robots:5:Token"] = DevReaderToken,
            ["Identity:Seed:Robots:5:Teams:0"] = "robots-dev-readers",
            ["Identity:Seed:Robots:6:Name"] = "spare",
            ["Identity:Seed:Robots:6:Token"] = SpareToken,
            ["Identity:Seed:Robots:6:Teams:0"] = "robots-readers",
            ["Identity:Forwarding:ServiceTokenLifetime"] = ServiceTokenLifetime.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
            ["Gateway:RateLimit:PermitsPerSecond"] = "1000",
            ["Gateway:RateLimit:Burst"] = "1000",
            ["Logging:LogLevel:Default"] = "Debug",
            ["Identity:Oidc:Authority"] = FakeIdentityProvider.Issuer,
            ["Identity:Oidc:Audience"] = FakeIdentityProvider.Audience,
            ["Identity:Oidc:RequireHttpsMetadata"] = "false",
        };
        foreach (var cluster in new[] { "ingest", "layerscanner", "feedsync", "policyengine", "promoter" })
            settings[$"ReverseProxy:Clusters:{cluster}:Destinations:d1:Address"] = $"http://127.0.0.1:{BackendPort}";
        _gateway = new GatewayFactory(settings, Logs);
        _gateway.UseKestrel(GatewayPort);
        _gateway.StartServer();

        await StartRegistryAsync();
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (_registry is { HasExited: false })
        {
            _registry.Kill(entireProcessTree: true);
            await _registry.WaitForExitAsync();
        }
        _registry?.Dispose();
        if (_gateway is not null) await _gateway.DisposeAsync();
        if (_backend is not null) await _backend.DisposeAsync();
        await IdentityProvider.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // the registry may still be flushing; the folder is under /tmp
        }
    }

    public static AuthenticationHeaderValue Basic(string user, string secret) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));

    /// <summary>Pushes the smallest real test image to this registry with skopeo.</summary>
    public static Task<ProcessRunner.Outcome> PushAsync(string repositoryAndTag, string credentials) =>
        ProcessRunner.RunAsync("skopeo", "copy", "--quiet", "--dest-tls-verify=false", "--dest-creds", credentials,
            $"oci:{Path.Combine(RepositoryLayout.TestImages, "oci")}:bookworm-minbase", $"docker://{Registry}/{repositoryAndTag}");

    /// <summary>Reads a manifest (a pull of its metadata) with skopeo.</summary>
    public static Task<ProcessRunner.Outcome> InspectAsync(string repositoryAndTag, string credentials) =>
        ProcessRunner.RunAsync("skopeo", "inspect", "--raw", "--tls-verify=false", "--creds", credentials, $"docker://{Registry}/{repositoryAndTag}");

    public static Task<ProcessRunner.Outcome> CopyAsync(string from, string to, string credentials) =>
        ProcessRunner.RunAsync("skopeo", "copy", "--quiet", "--src-tls-verify=false", "--dest-tls-verify=false",
            "--src-creds", credentials, "--dest-creds", credentials, $"docker://{Registry}/{from}", $"docker://{Registry}/{to}");

    public string RegistryLog => _registryLog.ToString();

    private async Task StartRegistryAsync()
    {
        var config = Path.Combine(Directory, "registry.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: info
              formatter: text
            storage:
              filesystem:
                rootdirectory: {Path.Combine(Directory, "registry-data")}
              delete:
                enabled: true
            http:
              addr: 127.0.0.1:{RegistryPort}
              secret: identity-test-http-secret
            auth:
              token:
                realm: http://127.0.0.1:{GatewayPort}/auth/token
                service: scm-registry
                issuer: scm-gateway
                rootcertbundle: {CertificatePath}
            """);
        var psi = new ProcessStartInfo("docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(config);
        _registry = Process.Start(psi) ?? throw new InvalidOperationException("Cannot start docker-registry: apt-get install docker-registry");
        _registry.OutputDataReceived += (_, e) => { lock (_registryLog) _registryLog.AppendLine(e.Data); };
        _registry.ErrorDataReceived += (_, e) => { lock (_registryLog) _registryLog.AppendLine(e.Data); };
        _registry.BeginOutputReadLine();
        _registry.BeginErrorReadLine();
        using var probe = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var response = await probe.GetAsync(new Uri($"http://{Registry}/v2/"));
                if (response.StatusCode == HttpStatusCode.Unauthorized) return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (_registry.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"docker-registry did not come up on {Registry}: {RegistryLog}");
            await Task.Delay(100);
        }
    }

    private static async Task<WebApplication> StartEchoBackendAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{BackendPort}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapGet("/health/ready", () => "Healthy");
        app.Map("/{**path}", (HttpRequest request) => Results.Json(new EchoedRequest(
            request.Method,
            request.Path + request.QueryString,
            request.Headers[ForwardedIdentitySignerHeader].ToString(),
            request.Headers.Authorization.ToString(),
            request.Headers["X-Correlation-Id"].ToString())));
        await app.StartAsync();
        return app;
    }

    private const string ForwardedIdentitySignerHeader = "X-SCM-Identity";

    public sealed record EchoedRequest(string Method, string Path, string Identity, string Authorization, string CorrelationId);

    private sealed class GatewayFactory(Dictionary<string, string?> settings, CapturedLogs logs) : WebApplicationFactory<Proxy.RouteAccessMiddleware>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
            builder.UseEnvironment("Development");
            builder.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(logs));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GatewayStackCollection : ICollectionFixture<GatewayStack>
{
    public const string Name = "identity gateway stack";
}

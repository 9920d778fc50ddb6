using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace SupplyChainMesh.Oci.Tests.Infrastructure;

/// <summary>
/// A small Kestrel server on a test port that plays the registry parts the real one will not misbehave in: transient
/// 503s, stalled bodies, a Bearer token service, redirects to "blob storage" on another origin. Real manifest and
/// blob bytes from the built test images are served.
/// </summary>
public sealed class FakeRegistryServer : IAsyncLifetime
{
    public const string User = "bob";
    public const string Password = "token-pw";
    private WebApplication? _app;

    public int Port { get; private set; }

    /// <summary><c>127.0.0.1:port</c>: the registry's origin.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public ConcurrentDictionary<string, int> Hits { get; } = new();

    public ConcurrentBag<string> TokenRequests { get; } = [];

    public ConcurrentDictionary<string, string> ValidTokens { get; } = new();

    public ConcurrentBag<string?> StorageAuthorization { get; } = [];

    public ConcurrentBag<string?> RegistryAuthorization { get; } = [];

    public string ManifestDigest { get; } = TestImages.ManifestDigest("bookworm-minbase");

    public byte[] Manifest => TestImages.Blob(ManifestDigest);

    public async Task InitializeAsync()
    {
        Port = TestPorts.Take();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(Port));
        var app = builder.Build();

        // 503 (Retry-After: 0) for the first N hits of /v2/flaky{N}/..., then the real manifest.
        app.MapGet("/v2/flaky{n:int}/manifests/{reference}", (int n, HttpContext http) =>
        {
            var hits = Hits.AddOrUpdate("flaky" + n, 1, (_, v) => v + 1);
            if (hits <= n)
            {
                http.Response.Headers.RetryAfter = "0";
                return Results.Text("""{"errors":[{"code":"UNAVAILABLE","message":"try later"}]}""", "application/json", statusCode: 503);
            }
            return Results.Bytes(Manifest, "application/vnd.oci.image.manifest.v1+json");
        });
        app.MapGet("/v2/limited/manifests/{reference}", (HttpContext http) =>
        {
            Hits.AddOrUpdate("limited", 1, (_, v) => v + 1);
            http.Response.Headers.RetryAfter = "0";
            return Results.Text("""{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}""", "application/json", statusCode: 429);
        });

        // Headers and 10 bytes of a 1000-byte blob, then silence.
        app.MapGet("/v2/stall/blobs/{digest}", async (HttpContext http) =>
        {
            http.Response.ContentLength = 1000;
            await http.Response.Body.WriteAsync(new byte[10]);
            await http.Response.Body.FlushAsync();
            await Task.Delay(Timeout.Infinite, http.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });

        // Bearer token service and a repository that needs a token for its scope.
        app.MapGet("/token", (HttpContext http) =>
        {
            TokenRequests.Add(http.Request.QueryString.Value ?? "");
            if (http.Request.Headers.Authorization.ToString() != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")))
                return Results.Json(new { errors = new[] { new { code = "UNAUTHORIZED", message = "bad credentials" } } }, statusCode: 401);
            var token = Guid.NewGuid().ToString("N");
            ValidTokens[token] = string.Join(' ', http.Request.Query["scope"].ToArray());
            return Results.Json(new { token, expires_in = 300 });
        });
        app.MapGet("/v2/secure/app/manifests/{reference}", (HttpContext http) =>
        {
            var auth = http.Request.Headers.Authorization.ToString();
            if (!auth.StartsWith("Bearer ", StringComparison.Ordinal) || !ValidTokens.TryGetValue(auth[7..], out var scope)
                || !scope.Contains("repository:secure/app:pull", StringComparison.Ordinal))
            {
                http.Response.Headers.WWWAuthenticate =
                    $"Bearer realm=\"http://127.0.0.1:{Port}/token\",service=\"fake-registry\",scope=\"repository:secure/app:pull\"";
                return Results.Json(new { errors = new[] { new { code = "UNAUTHORIZED", message = "authentication required" } } }, statusCode: 401);
            }
            return Results.Bytes(Manifest, "application/vnd.oci.image.manifest.v1+json");
        });

        // A registry (Basic auth) that redirects blob downloads to storage on another origin (localhost vs 127.0.0.1).
        app.MapGet("/v2/redirect/app/blobs/{digest}", (string digest, HttpContext http) =>
        {
            var auth = http.Request.Headers.Authorization.ToString();
            RegistryAuthorization.Add(auth);
            if (auth != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")))
            {
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"fake\"";
                return Results.StatusCode(401);
            }
            return Results.Redirect($"http://localhost:{Port}/storage/{digest}?signature=abc", permanent: false, preserveMethod: true);
        });
        app.MapGet("/storage/{digest}", (string digest, HttpContext http) =>
        {
            StorageAuthorization.Add(http.Request.Headers.Authorization.Count == 0 ? null : http.Request.Headers.Authorization.ToString());
            return Results.Bytes(TestImages.Blob(digest), "application/octet-stream");
        });

        await app.StartAsync();
        _app = app;
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }
}

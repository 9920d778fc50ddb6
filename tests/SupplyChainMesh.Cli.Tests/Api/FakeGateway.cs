using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SupplyChainMesh.Cli.Tests.Api;

/// <summary>
/// A small in-process stand-in for the gateway on 127.0.0.1:9141 (the cli helper's port range), serving the documented
/// paths of the API map with a bearer token check, and recording every request so tests see what the CLI sent.
/// A unit test of the CLI's client logic; the real services are tested in their own projects.
/// </summary>
public sealed class FakeGateway : IAsyncLifetime
{
    public const string Token = "scm_test_token_1";
    public const string Port = "9141";
    public const string Digest = "sha256:8a607623c699f66b7c65882be2bd82bab85f086ad52929a3d4dbd5b801aff793";
    public const string BaseLayer = "sha256:ea2eeebee7f482236badb2fea0328f6f1e426c193c3996864b5594e261bd22ca";
    public const string AppLayer = "sha256:ef9e909bc238379d849ce61fb7ca31e9546e16b135557e29771f72faba54b9a3";

    private readonly ConcurrentDictionary<string, JsonObject> _exceptions = new();
    private readonly ConcurrentDictionary<string, JsonObject> _tokens = new();
    private WebApplication? _app;

    public const string Url = "http://127.0.0.1:" + Port;

    public ConcurrentQueue<(string Method, string PathAndQuery, string? Authorization, string Body)> Requests { get; } = new();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Url);
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
            context.Request.Body.Position = 0;
            Requests.Enqueue((context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.ToString(), body));
            if (context.Request.Headers.Authorization != $"Bearer {Token}")
            {
                await Results.Problem(title: "Unauthorized", detail: "A valid API token is required.", statusCode: 401).ExecuteAsync(context);
                return;
            }
            await next(context);
        });
        Map(_app);
        await _app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/api/images", (string? repository) => repository == "cli/boom"
            ? Results.Problem(title: "Database unavailable", statusCode: 503)
            : Results.Ok(new[]
            {
                new { registry = "127.0.0.1:5050", repository = "cli/app", tag = "1.0", digest = Digest, updatedAt = "2026-11-29T20:00:00Z" },
                new { registry = "127.0.0.1:5050", repository = "cli/other", tag = "2.0", digest = "sha256:" + new string('b', 64), updatedAt = "2026-11-29T21:00:00Z" },
            }.Where(i => repository is null || i.repository == repository)));

        app.MapGet("/api/scans", (string? repository, string? digest) => Results.Ok(new[]
        {
            new { id = Guid.Empty, repository, digest, state = "Completed", layersDone = 2, layersTotal = 2, failureReason = (string?)null },
        }));
        app.MapGet("/api/scans/layers/{digest}/analysis", (string digest) => digest switch
        {
            BaseLayer => Results.Ok(new { digest, analyzerVersion = "1", packages = new[] { new { type = "deb", name = "libc6", version = "2.36-9+deb12u1", path = "var/lib/dpkg/status" } } }),
            AppLayer => Results.Ok(new { digest, analyzerVersion = "1", packages = new[] { new { type = "npm", name = "lodash", version = "4.17.20", path = "app/node_modules/lodash/package.json" } } }),
            _ => Results.NotFound(),
        });
        app.MapGet("/api/vulnerabilities/images", (string? repository, string? digest) => digest == Digest
            ? Results.Ok(new { reportId = "report-1", critical = 0, high = 2, kev = 1, fixable = 2 })
            : Results.NotFound());
        app.MapGet("/api/vulnerabilities/reports/{id}", (string id) => id == "report-1"
            ? Results.Ok(new
            {
                id,
                layers = new[] { new { digest = BaseLayer }, new { digest = AppLayer } },
                findings = new object[]
                {
                    new { vulnerabilityId = "CVE-2023-4911", package = new { name = "libc6" }, installedVersion = "2.36-9+deb12u1", fixedVersion = "2.36-9+deb12u3", severity = "High", knownExploited = true, layerDigest = BaseLayer },
                    new { vulnerabilityId = "CVE-2021-23337", package = new { name = "lodash" }, installedVersion = "4.17.20", fixedVersion = "4.17.21", severity = "High", knownExploited = false, layerDigest = AppLayer },
                },
            })
            : Results.NotFound());

        app.MapGet("/api/policies", () => Results.Ok(new[] { new { id = "11111111-1111-1111-1111-111111111111", name = "dev-to-qa", sourceRepository = "dev/*", enabled = true, order = 1 } }));
        app.MapPost("/api/policies", (JsonObject policy) => policy["name"] is null
            ? Results.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["A policy needs a name."] })
            : Results.Created("/api/policies/22222222-2222-2222-2222-222222222222", new JsonObject { ["id"] = "22222222-2222-2222-2222-222222222222", ["name"] = policy["name"]!.GetValue<string>() }));
        app.MapPut("/api/policies/{id}", (string id, JsonObject policy) => id == "11111111-1111-1111-1111-111111111111"
            ? Results.Ok(policy)
            : Results.Problem(title: "Not found", detail: $"No policy {id}.", statusCode: 404));
        app.MapPost("/api/policies/dry-run", (JsonObject request) =>
        {
            var bad = request["repository"]?.GetValue<string>() == "cli/bad";
            var line = new { policyId = "11111111-1111-1111-1111-111111111111", policyName = "dev-to-qa", reasons = new[] { bad ? "Vulnerability: CVE-2023-4911 is known exploited" : "would copy to qa/app:1.0" } };
            return Results.Ok(new
            {
                image = request["reference"]?.GetValue<string>(),
                wouldSatisfy = bad ? [] : new[] { line },
                wouldViolate = bad ? new[] { line } : [],
                notApplicable = Array.Empty<object>(),
                suppressedFindings = Array.Empty<string>(),
            });
        });

        app.MapGet("/api/promotions", (string? repository) => Results.Ok(new[]
        {
            new { sourceRepository = "dev/app", targetRepository = "qa/app", digest = Digest, state = "Promoted", at = "2026-11-29T22:00:00Z" },
        }.Where(p => repository is null || p.sourceRepository == repository || p.targetRepository == repository)));

        app.MapGet("/api/exceptions", () => Results.Ok(_exceptions.Values));
        app.MapPost("/api/exceptions", (JsonObject exception) =>
        {
            var id = Guid.NewGuid().ToString();
            exception["id"] = id;
            _exceptions[id] = exception;
            return Results.Created($"/api/exceptions/{id}", exception);
        });
        app.MapDelete("/api/exceptions/{id}", (string id) => _exceptions.TryRemove(id, out _) ? Results.NoContent() : Results.NotFound());

        app.MapGet("/api/tokens", () => Results.Ok(_tokens.Values.Select(t => new JsonObject { ["id"] = t["id"]!.GetValue<string>(), ["name"] = t["name"]!.GetValue<string>() })));
        app.MapPost("/api/tokens", (JsonObject request) =>
        {
            var id = Guid.NewGuid().ToString();
            var token = new JsonObject { ["id"] = id, ["name"] = request["name"]!.GetValue<string>(), ["token"] = "scm_" + Guid.NewGuid().ToString("N") };
            _tokens[id] = token;
            return Results.Created($"/api/tokens/{id}", token);
        });
        app.MapDelete("/api/tokens/{id}", (string id) => _tokens.TryRemove(id, out _) ? Results.NoContent() : Results.NotFound());
    }
}

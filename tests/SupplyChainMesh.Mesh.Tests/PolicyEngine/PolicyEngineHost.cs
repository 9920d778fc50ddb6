using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.PolicyEngine.Assessments;
using SupplyChainMesh.PolicyEngine.Evaluation;
using SupplyChainMesh.PolicyEngine.Infrastructure;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.PolicyEngine;

/// <summary>
/// The PolicyEngine host in process on the real broker (vhost from SCM_RABBITMQ_URI) and a fresh PostgreSQL database.
/// FeedSync is replaced by <see cref="RecordedAssessments"/> serving the assessments the test hands it. Each host
/// consumes ImageAssessed on its own temporary queue, so hosts of parallel tests never take each other's messages.
/// </summary>
public sealed class PolicyEngineHost : WebApplicationFactory<PolicyInputs>
{
    private readonly Dictionary<string, string?> _settings;

    private PolicyEngineHost(Dictionary<string, string?> settings) => _settings = settings;

    public RecordedAssessments Assessments { get; } = new();

    public static Task<PolicyEngineHost> StartAsync() => StartAsync(new Dictionary<string, string?>());

    /// <param name="settings">Configuration on top of the test defaults; <c>ConnectionStrings:Postgres</c> and
    /// <c>PolicyEngine:ReevaluationQueue</c> given here let two hosts act as replicas of one service.</param>
    public static async Task<PolicyEngineHost> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = await BackingServices.RabbitMqUriAsync(),
            ["PolicyEngine:EvaluationQueue"] = $"policy-test-{Guid.NewGuid():N}",
            ["PolicyEngine:ReevaluationQueue"] = $"policy-reevaluation-test-{Guid.NewGuid():N}",
            ["PolicyEngine:ArtifactQueue"] = $"policy-artifacts-test-{Guid.NewGuid():N}",
            ["PolicyEngine:TemporaryQueue"] = "true",
            // Nothing listens there: assessments come from the recorded double.
            ["Services:FeedSync"] = "http://127.0.0.1:9179",
        };
        foreach (var (key, value) in settings) all[key] = value;
        all.TryAdd("ConnectionStrings:Postgres", await BackingServices.FreshDatabaseAsync("policy"));
        var host = new PolicyEngineHost(all);
        var bus = host.Services.GetRequiredService<IBusControl>();
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // MassTransit's static log context outlives a disposed host: reset it so hosts can follow each other.
        LogContext.ConfigureCurrentLogContext(NullLoggerFactory.Instance);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.UseEnvironment("Development");
        builder.ConfigureTestServices(services => services.AddSingleton<IAssessmentSource>(Assessments));
    }

    public async Task<(HttpResponseMessage Response, JsonNode? Body)> SendAsync(HttpMethod method, string path, string? json = null, string? ifMatch = null)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(method, path);
        if (json is not null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public async Task<JsonNode> CreatedAsync(string path, string json)
    {
        var (response, body) = await SendAsync(HttpMethod.Post, path, json);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {body}");
        return body!;
    }

    /// <summary>Evaluates a test image through the bus (as FeedSync's ImageAssessed would) and waits until its verdict is stored.</summary>
    public async Task EvaluateAsync(string image, string repository, string tag, string digest)
    {
        var assessment = PolicyTestData.Assessment(image, repository, tag, digest);
        var message = PolicyTestData.Assessed(assessment, Assessments.Add(assessment));
        await using var probe = await BusProbe<ImageAssessed>.StartAsync();
        await probe.Bus.Publish(message);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            await using (var scope = Services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
                if (await db.Images.AnyAsync(i => i.Digest == digest && i.Tag == tag && i.ReportId == message.ReportId)) return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{repository}:{tag} was not evaluated within 60 s");
            await Task.Delay(100);
        }
    }

    /// <summary>The one suppression (<c>by</c>) of app-mixed's minimist finding in the image's single stored verdict.</summary>
    public async Task<JsonNode> MinimistSuppressionAsync(string repository, string digest)
    {
        var verdict = Assert.Single(await VerdictsAsync(repository, digest))!;
        var minimist = Assert.Single(verdict["verdict"]!["suppressed"]!.AsArray(),
            s => s!["finding"]!["packagePurl"]!.GetValue<string>().StartsWith("pkg:npm/minimist", StringComparison.Ordinal))!;
        return Assert.Single(minimist["by"]!.AsArray())!;
    }

    public async Task<JsonArray> VerdictsAsync(string repository, string digest)
    {
        using var client = CreateClient();
        return (await client.GetFromJsonAsync<JsonArray>($"/api/verdicts?repository={Uri.EscapeDataString(repository)}&digest={Uri.EscapeDataString(digest)}"))!;
    }
}

/// <summary>FeedSync's assessments as a test double: the reports the test recorded, by id and by image.</summary>
public sealed class RecordedAssessments : IAssessmentSource
{
    private readonly Dictionary<Guid, ImageAssessment> _reports = [];
    private readonly Lock _gate = new();

    public Guid Add(ImageAssessment assessment)
    {
        var id = Guid.NewGuid();
        lock (_gate) _reports[id] = assessment;
        return id;
    }

    public Task<ImageAssessment?> GetByReportAsync(Guid reportId, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult(_reports.GetValueOrDefault(reportId));
    }

    public Task<(Guid ReportId, ImageAssessment Assessment)?> GetLatestAsync(string repository, string digest, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var (id, a) in _reports.Reverse())
                if (a.Repository == repository && a.ManifestDigest == digest) return Task.FromResult<(Guid, ImageAssessment)?>((id, a));
        }
        return Task.FromResult<(Guid, ImageAssessment)?>(null);
    }
}

/// <summary>Test data: assessments of the real test images (packages from their dpkg databases and lock files, findings
/// from the real feeds in /work/shared/feeds), AdmissionReviews as the API server sends them, VEX documents.</summary>
public static class PolicyTestData
{
    public const string Registry = "registry.example.com";

    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "PolicyEngine", "TestData", name);

    public static string Text(string name) => File.ReadAllText(Path(name));

    /// <summary>An assessment of a test image (<c>bookworm-minbase</c>: no critical finding; <c>app-mixed</c>: minimist
    /// CVE-2021-44906 critical, lodash and Newtonsoft.Json high) as pushed to <paramref name="repository"/>.</summary>
    public static ImageAssessment Assessment(string image, string repository, string tag, string digest) =>
        JsonSerializer.Deserialize<ImageAssessment>(Text($"{image}.assessment.json"), FeedSyncAssessmentSource.Json)! with
        {
            Registry = Registry,
            Repository = repository,
            Tag = tag,
            ManifestDigest = digest,
        };

    public static string NewDigest() => "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Guid.NewGuid().ToByteArray()));

    public static ImageAssessed Assessed(ImageAssessment a, Guid reportId) => new()
    {
        Image = new ImageIdentity(a.Registry, a.Repository, a.Tag, a.ManifestDigest),
        ReportId = reportId,
        Counts = new SeverityCounts(
            a.Findings.Count(f => f.Severity == Severity.Critical), a.Findings.Count(f => f.Severity == Severity.High),
            a.Findings.Count(f => f.Severity == Severity.Medium), a.Findings.Count(f => f.Severity == Severity.Low),
            a.Findings.Count(f => f.Severity == Severity.Negligible), a.Findings.Count(f => f.Severity == Severity.Unknown)),
        AssessedAt = DateTimeOffset.UtcNow,
        Trigger = "scan",
    };

    public static string SamplePolicy => File.ReadAllText(System.IO.Path.Combine(RepositoryLayout.RepositoryRoot, "infra", "local", "sample-policy.json"));
}

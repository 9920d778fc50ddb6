using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.LayerScanner.Infrastructure;
using SupplyChainMesh.LayerScanner.Scanning;
using SupplyChainMesh.Policy.Assessments;
using SupplyChainMesh.Policy.Serialization;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Feeds;

/// <summary>
/// FeedSync on the real broker (vhost of the test environment) and PostgreSQL, with a mirror made of real corpus files
/// (GHSA npm/NuGet/Maven, KEV, NVD whole; Debian 12 cut to the glibc records) and the real app-mixed image, analysed
/// with the engine and served by a real LayerScanner host from its database.
/// </summary>
public sealed partial class FeedSyncTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromMinutes(3);
    private readonly string _mirror = Path.Combine(Path.GetTempPath(), "scm-feedsync-" + Guid.NewGuid().ToString("N"));

    public FeedSyncTests()
    {
        var feeds = RepositoryLayout.Feeds;
        foreach (var file in new[] { "ghsa/ghsa-npm.osv.jsonl", "ghsa/ghsa-nuget.osv.jsonl", "ghsa/ghsa-maven.osv.jsonl", "kev/known_exploited_vulnerabilities.json", "nvd/nvd-cve-api2-subset.json" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(_mirror, file))!);
            File.Copy(Path.Combine(feeds, file), Path.Combine(_mirror, file));
        }
        Directory.CreateDirectory(Path.Combine(_mirror, "debian"));
        File.WriteAllLines(Path.Combine(_mirror, "debian", "debian12-cve.osv.jsonl"),
            File.ReadLines(Path.Combine(feeds, "debian", "debian12-cve.osv.jsonl")).Where(l => l.Contains("\"name\":\"glibc\"", StringComparison.Ordinal)));
    }

    public void Dispose() => Directory.Delete(_mirror, recursive: true);

    [GeneratedRegex("\"(fixed|last_affected)\":\"[^\"]+\"")]
    private static partial Regex FixEvent();

    private static LayerSource[] Layers(string tag)
    {
        var layout = Path.Combine(RepositoryLayout.TestImages, "oci");
        string Blob(string digest) => Path.Combine(layout, "blobs", "sha256", digest["sha256:".Length..]);
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(layout, "index.json")));
        var manifestDigest = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(m => m.TryGetProperty("annotations", out var a) && a.TryGetProperty("org.opencontainers.image.ref.name", out var n) && n.GetString() == tag)
            .GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(Blob(manifestDigest)));
        return manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l =>
        {
            var digest = l.GetProperty("digest").GetString()!;
            return new LayerSource(digest, l.GetProperty("mediaType").GetString()!, l.GetProperty("size").GetInt64(),
                _ => ValueTask.FromResult<Stream>(File.OpenRead(Blob(digest))));
        }).ToArray();
    }

    private static async Task WaitForFeedsAsync(HttpClient client, int sources)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (DateTime.UtcNow < deadline)
        {
            var status = await client.GetFromJsonAsync<JsonElement>("/api/feeds");
            if (status.GetArrayLength() == sources && status.EnumerateArray().All(s => s.GetProperty("lastSuccessAt").ValueKind == JsonValueKind.String))
                return;
            await Task.Delay(500);
        }
        throw new TimeoutException("The feed sources were not all synchronised in time.");
    }

    private static ImageScanned Scanned(ImageIdentity image, IReadOnlyList<LayerSource> layers, string analyzerVersion, bool succeeded = true) => new()
    {
        ScanId = image.ScanId,
        Image = image,
        Layers = [.. layers.Select(l => l.Digest)],
        AnalyzerVersion = analyzerVersion,
        Succeeded = succeeded,
        FailureReason = succeeded ? null : "registry timeout (test)",
    };

    [Fact]
    public async Task A_scanned_image_is_assessed_and_a_feed_change_rematches_it_with_one_notification()
    {
        var rabbit = await BackingServices.RabbitMqUriAsync();
        var database = await BackingServices.FreshDatabaseAsync("feedsync");
        // The scanner host only serves its stored analyses over HTTP: its bus runs on a virtual host of its own.
        await using var scanner = new MeshHost<ImageScanState>(new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = await BackingServices.FreshVirtualHostAsync("feedsync-scanner"),
            ["ConnectionStrings:Postgres"] = database,
            ["Scanner:ConsumeLayers"] = "false",
        });
        _ = scanner.Services;

        // The real image, analysed layer by layer with the engine and stored as LayerScanner stores it.
        var analyzer = new ImageAnalyzer();
        var layers = Layers("app-mixed");
        await using (var scope = scanner.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ScannerDbContext>();
            foreach (var layer in layers)
            {
                var analysis = await analyzer.AnalyzeLayerAsync(layer, CancellationToken.None);
                db.LayerFindings.Add(new LayerFinding
                {
                    Digest = layer.Digest,
                    AnalyzerVersion = analyzer.AnalyzerVersion,
                    Succeeded = true,
                    PackageCount = analysis.Packages.Count,
                    Json = AnalysisJson.Serialize(analysis),
                    AnalyzedAt = DateTimeOffset.UtcNow,
                });
            }
            await db.SaveChangesAsync();
        }

        await using var assessed = await BusProbe<ImageAssessed>.StartAsync();
        await using var found = await BusProbe<NewVulnerabilitiesFound>.StartAsync();
        await using var feedSync = new FeedSyncHost(new Dictionary<string, string?>
        {
            ["RabbitMq:Uri"] = rabbit,
            ["ConnectionStrings:Postgres"] = database,
            ["FeedSync:MirrorRoot"] = _mirror,
            ["FeedSync:SchedulerTick"] = "00:00:01",
        }, () => scanner.Server.CreateHandler(), scanner.Server.BaseAddress);
        var client = feedSync.CreateClient();
        await WaitForFeedsAsync(client, sources: 4);

        var repository = $"feeds-{Guid.NewGuid():N}"[..14] + "/app";
        var image = new ImageIdentity("registry.test", repository, "v1", "sha256:" + new string('a', 64));
        await assessed.Bus.Publish(Scanned(image, layers, analyzer.AnalyzerVersion));
        var first = await assessed.NextAsync(m => m.Image.Repository == repository, Wait);
        Assert.Equal("scan", first.Trigger);
        Assert.True(first.Counts.Total > 0);

        // Findings per package and layer: the known facts of the corpus on the real image.
        var report = await client.GetFromJsonAsync<JsonElement>($"/api/vulnerabilities/reports/{first.ReportId}");
        var findings = report.GetProperty("findings").EnumerateArray().ToList();
        HashSet<string> IdsOf(string package) => findings.Where(f => f.GetProperty("packageName").GetString() == package)
            .SelectMany(f => f.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!).Append(f.GetProperty("vulnerabilityId").GetString()!))
            .ToHashSet();
        Assert.Contains("CVE-2021-23337", IdsOf("lodash"));
        Assert.Contains("GHSA-35jh-r3h4-6jhm", IdsOf("lodash"));
        Assert.DoesNotContain("GHSA-8p5q-j9m2-g8wr", IdsOf("lodash"));
        Assert.Contains("CVE-2021-44906", IdsOf("minimist"));
        // Newtonsoft.Json 12.0.1 (GHSA-5crp-9r3c-p9vr) is in this image, but the engine's NuGet detector does not report
        // it yet; the fact is held on the store's index in the Persistence feed-corpus test.
        // glibc of this image (2.36-9+deb12u14) is past the fix of CVE-2023-4911 (2.36-9+deb12u3).
        Assert.DoesNotContain("CVE-2023-4911", IdsOf("libc6"));
        Assert.All(findings, f => Assert.StartsWith("sha256:", f.GetProperty("layerDigest").GetString()));
        Assert.Equal(findings.Count, first.Counts.Total);

        var assessmentJson = await client.GetStringAsync($"/api/vulnerabilities/reports/{first.ReportId}/assessment");
        var assessment = JsonSerializer.Deserialize<ImageAssessment>(assessmentJson, PolicyJson.Options)!;
        Assert.Equal(image.Digest, assessment.ManifestDigest);
        Assert.Contains(assessment.Packages, p => p.Purl.StartsWith("pkg:npm/lodash@4.17.20", StringComparison.Ordinal));
        Assert.Contains(assessment.Findings, f => f.IsKnownAs("GHSA-35jh-r3h4-6jhm") && f.FixAvailable && f.FixedVersion == "4.17.21");
        Assert.Contains(assessment.Feeds, f => f.Name == "ghsa");

        // Redelivery, and the same image under a second tag: the stored report, not a second match.
        await assessed.Bus.Publish(Scanned(image, layers, analyzer.AnalyzerVersion));
        Assert.Equal(first.ReportId, (await assessed.NextAsync(m => m.Image.Repository == repository, Wait)).ReportId);
        await assessed.Bus.Publish(Scanned(image with { Tag = "v2" }, layers, analyzer.AnalyzerVersion));
        Assert.Equal(first.ReportId, (await assessed.NextAsync(m => m.Image.Repository == repository && m.Image.Tag == "v2", Wait)).ReportId);

        // A failed scan is recorded, not matched.
        var failed = image with { Repository = repository + "-broken", Digest = "sha256:" + new string('b', 64) };
        await assessed.Bus.Publish(Scanned(failed, layers, analyzer.AnalyzerVersion, succeeded: false));
        var deadline = DateTime.UtcNow + Wait;
        HttpResponseMessage failedView;
        while ((failedView = await client.GetAsync($"/api/vulnerabilities/images?repository={failed.Repository}")).StatusCode == HttpStatusCode.NotFound && DateTime.UtcNow < deadline)
            await Task.Delay(300);
        var failedImage = (await failedView.Content.ReadFromJsonAsync<JsonElement>())[0];
        Assert.False(failedImage.GetProperty("image").GetProperty("succeeded").GetBoolean());
        Assert.Equal(JsonValueKind.Null, failedImage.GetProperty("report").ValueKind);

        // Upstream widens three npm advisories to versions this image has: one burst, one notification for the image.
        var before = findings.SelectMany(f => f.GetProperty("aliases").EnumerateArray().Select(a => a.GetString()!).Append(f.GetProperty("vulnerabilityId").GetString()!)).ToHashSet();
        var npm = Path.Combine(_mirror, "ghsa", "ghsa-npm.osv.jsonl");
        var widened = new List<string>();
        var lines = File.ReadAllLines(npm).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            var id = root.GetProperty("id").GetString()!;
            var names = root.GetProperty("affected").EnumerateArray().Select(a => a.GetProperty("package").GetProperty("name").GetString()).ToList();
            var summary = root.TryGetProperty("summary", out var s) ? s.GetString() ?? "" : "";
            if (widened.Count >= 3 || !names.Any(n => n is "lodash" or "minimist") || before.Contains(id) || summary.StartsWith("Withdrawn", StringComparison.Ordinal)
                || summary.StartsWith("Duplicate", StringComparison.Ordinal) || !FixEvent().IsMatch(line))
                return line;
            widened.Add(id);
            return FixEvent().Replace(line, m => $"\"{m.Groups[1].Value}\":\"99.0.0\"");
        }).ToArray();
        Assert.NotEmpty(widened);
        await File.WriteAllLinesAsync(npm, lines);
        var sync = await client.PostAsync("/api/feeds/ghsa/sync", null);
        Assert.Equal(HttpStatusCode.Accepted, sync.StatusCode);

        var news = await found.NextAsync(m => m.Image.Repository == repository, Wait);
        Assert.Equal(image.Digest, news.Image.Digest);
        Assert.Contains(news.VulnerabilityIds, id => widened.Contains(id) || !before.Contains(id));
        var v1 = await assessed.NextAsync(m => m.Image.Repository == repository && m.Trigger == "feed-update" && m.Image.Tag == "v1", Wait);
        var v2 = await assessed.NextAsync(m => m.Image.Repository == repository && m.Trigger == "feed-update" && m.Image.Tag == "v2", Wait);
        Assert.Equal(v1.ReportId, v2.ReportId);
        Assert.NotEqual(first.ReportId, v1.ReportId);
        Assert.True(v1.Counts.Total > first.Counts.Total);
        Assert.Equal(0, await found.CountAsync(m => m.Image.Repository == repository, TimeSpan.FromSeconds(5)));

        // The re-match moved the counts by the rows it changed; they must agree with the stored findings.
        var rematched = (await client.GetFromJsonAsync<JsonElement>($"/api/vulnerabilities/reports/{v1.ReportId}")).GetProperty("findings").EnumerateArray().ToList();
        int CountOf(string severity) => rematched.Count(f => f.GetProperty("severity").GetString() == severity);
        Assert.Equal(v1.Counts.Total, rematched.Count);
        Assert.Equal((v1.Counts.Critical, v1.Counts.High, v1.Counts.Medium, v1.Counts.Low), (CountOf("Critical"), CountOf("High"), CountOf("Medium"), CountOf("Low")));
        Assert.Equal(v1.KevCount, rematched.Count(f => f.GetProperty("kev").GetBoolean()));
        Assert.Equal(v1.FixableCount, rematched.Count(f => f.GetProperty("fixAvailable").GetBoolean()));

        var latest = (await client.GetFromJsonAsync<JsonElement>($"/api/vulnerabilities/images?repository={repository}&digest={image.Digest}"))[0];
        Assert.Equal(v1.ReportId, latest.GetProperty("report").GetProperty("reportId").GetGuid());
        var feedsStatus = await client.GetFromJsonAsync<JsonElement>("/api/feeds");
        var ghsa = feedsStatus.EnumerateArray().Single(s => s.GetProperty("name").GetString() == "ghsa");
        Assert.False(ghsa.GetProperty("stale").GetBoolean());
        Assert.True(ghsa.GetProperty("records").GetInt32() > 9000);
        var advisory = await client.GetFromJsonAsync<JsonElement>("/api/vulnerabilities/advisories/CVE-2023-4911");
        Assert.Contains(advisory.EnumerateArray(), a => a.GetProperty("feed").GetString() == "debian/debian12-cve.osv");
    }
}

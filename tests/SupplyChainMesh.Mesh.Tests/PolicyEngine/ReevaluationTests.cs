using System.Text.Json.Nodes;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.PolicyEngine.Admission;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.PolicyEngine;

/// <summary>
/// Stored images are re-evaluated when what their verdicts rest on changes — an exception added, removed or expired,
/// a policy updated, a VEX document uploaded — with no new <c>ImageAssessed</c>, on the real broker and database with
/// the real app-mixed assessment (critical minimist CVE-2021-44906). Only changed verdicts are published; a redelivered
/// change notice publishes nothing; another replica drops its admission cache at once.
/// </summary>
public sealed class ReevaluationTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(4);
    private const string MinimistException = """
        { "scope": "repository", "target": "dev/*", "vulnerabilityId": "CVE-2021-44906", "packagePurl": "pkg:npm/minimist",
          "reason": "minimist parses only our own build flags", "createdBy": "alice" }
        """;

    private PolicyVerdictTestBed _bed = null!;
    private PolicyEngineHost _host = null!;
    private BusProbe<PolicySatisfied> _satisfied = null!;
    private BusProbe<PolicyViolated> _violated = null!;

    public async Task InitializeAsync()
    {
        _bed = await PolicyVerdictTestBed.StartAsync(new Dictionary<string, string?> { ["PolicyEngine:ExpiryCheckSeconds"] = "1" });
        (_host, _satisfied, _violated) = (_bed.Host, _bed.Satisfied, _bed.Violated);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private async Task<ImageAssessed> AssessAsync(string image, string repository, string tag = "latest")
    {
        var assessment = PolicyTestData.Assessment(image, repository, tag, PolicyTestData.NewDigest());
        var message = PolicyTestData.Assessed(assessment, _host.Assessments.Add(assessment));
        await _satisfied.Bus.Publish(message);
        return message;
    }

    [Fact]
    public async Task A_new_exception_promotes_the_blocked_image_and_its_removal_blocks_it_again_without_a_new_assessment()
    {
        var blocked = await AssessAsync("app-mixed", "dev/reeval-cart");
        await _violated.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);
        // An image the exception cannot change (clean already): it must publish nothing when re-evaluated.
        var clean = await AssessAsync("bookworm-minbase", "dev/reeval-base");
        await _satisfied.NextAsync(m => m.Image.Digest == clean.Image.Digest, Wait);

        var exception = await _host.CreatedAsync("/api/exceptions", MinimistException);
        var promoted = await _satisfied.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);
        Assert.Equal("qa/reeval-cart", promoted.TargetRepository);
        var verdict = Assert.Single(await _host.VerdictsAsync("dev/reeval-cart", blocked.Image.Digest))!;
        Assert.Equal("satisfied", verdict["outcome"]!.GetValue<string>());
        Assert.Equal(blocked.ReportId, verdict["reportId"]!.GetValue<Guid>()); // the stored report, no new assessment
        Assert.Contains("minimist parses only our own build flags", verdict["verdict"]!["suppressed"]!.ToJsonString(), StringComparison.Ordinal);

        Assert.Equal(System.Net.HttpStatusCode.NoContent,
            (await _host.SendAsync(HttpMethod.Delete, $"/api/exceptions/{exception["id"]!.GetValue<Guid>()}")).Response.StatusCode);
        var violated = await _violated.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);
        Assert.Contains("CVE-2021-44906", Assert.Single(violated.FailedCriteria).VulnerabilityIds);

        Assert.Equal(0, await _satisfied.CountAsync(m => m.Image.Digest == clean.Image.Digest, Settle));
        Assert.Equal(0, await _violated.CountAsync(m => m.Image.Digest == clean.Image.Digest, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_redelivered_or_repeated_change_notice_publishes_nothing_new()
    {
        var blocked = await AssessAsync("app-mixed", "dev/reeval-twice");
        await _violated.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);
        var exception = await _host.CreatedAsync("/api/exceptions", MinimistException);
        await _satisfied.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);

        var notice = new PolicyInputsChanged
        {
            Kind = "exception",
            Id = exception["id"]!.GetValue<Guid>(),
            Change = "created",
            Repositories = ["dev/*"],
            ChangedAt = DateTimeOffset.UtcNow,
        };
        var messageId = Guid.NewGuid();
        for (var i = 0; i < 2; i++) await _satisfied.Bus.Publish(notice, c => c.MessageId = messageId);
        await _satisfied.Bus.Publish(notice); // the same change again under a new id: evaluated again, nothing changed
        Assert.Equal(0, await _satisfied.CountAsync(m => m.Image.Digest == blocked.Image.Digest, Settle));
        Assert.Equal(0, await _violated.CountAsync(m => m.Image.Digest == blocked.Image.Digest, TimeSpan.Zero));
    }

    [Fact]
    public async Task An_exception_that_expires_blocks_the_image_again_when_it_expires()
    {
        var blocked = await AssessAsync("app-mixed", "dev/reeval-expiry");
        await _violated.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);
        var expiresAt = DateTimeOffset.UtcNow.AddSeconds(6);
        var body = JsonNode.Parse(MinimistException)!.AsObject();
        body["expiresAt"] = expiresAt;
        await _host.CreatedAsync("/api/exceptions", body.ToJsonString());
        await _satisfied.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);

        var violated = await _violated.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);
        Assert.True(DateTimeOffset.UtcNow >= expiresAt, "blocked again before the exception expired");
        Assert.Contains("CVE-2021-44906", Assert.Single(violated.FailedCriteria).VulnerabilityIds);
    }

    [Fact]
    public async Task A_policy_update_and_a_VEX_upload_re_evaluate_the_images_they_affect()
    {
        var blocked = await AssessAsync("app-mixed", "dev/reeval-policy");
        await _violated.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);

        // Loosen the sample policy to allow one critical finding: the image passes; put it back: blocked again.
        var policy = (await _host.SendAsync(HttpMethod.Get, "/api/policies")).Body!.AsArray().Single()!.AsObject();
        var id = policy["id"]!.GetValue<Guid>();
        var loose = policy.DeepClone().AsObject();
        loose["criteria"]![1]!["count"] = 1;
        var (updated, _) = await _host.SendAsync(HttpMethod.Put, $"/api/policies/{id}", loose.ToJsonString(), $"\"{policy["version"]}\"");
        Assert.True(updated.IsSuccessStatusCode);
        await _satisfied.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);
        var current = (await _host.SendAsync(HttpMethod.Get, $"/api/policies/{id}")).Body!.AsObject();
        current["criteria"]![1]!["count"] = 0;
        var (restored, _) = await _host.SendAsync(HttpMethod.Put, $"/api/policies/{id}", current.ToJsonString(), $"\"{current["version"]}\"");
        Assert.True(restored.IsSuccessStatusCode);
        await _violated.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);

        // A VEX statement about this image's minimist: promoted with no new assessment.
        await _host.CreatedAsync("/api/vex", $$"""
            {
              "@context": "https://openvex.dev/ns/v0.2.0",
              "@id": "https://example.com/vex/reeval-policy",
              "author": "Shop security team",
              "timestamp": "2026-11-29T12:00:00Z",
              "version": 1,
              "statements": [ { "vulnerability": { "name": "CVE-2021-44906" },
                "products": [ { "@id": "{{blocked.Image.Digest}}", "subcomponents": [ { "@id": "pkg:npm/minimist" } ] } ],
                "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path" } ]
            }
            """);
        await _satisfied.NextAsync(m => m.Image.Digest == blocked.Image.Digest, Wait);
    }

    [Fact]
    public async Task Another_replica_drops_its_admission_cache_when_an_exception_is_added_on_this_one()
    {
        var database = await BackingServices.FreshDatabaseAsync("policy");
        var queue = $"policy-reevaluation-test-{Guid.NewGuid():N}";
        await using var a = await PolicyEngineHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database,
            ["PolicyEngine:ReevaluationQueue"] = queue,
        });
        await using var b = await PolicyEngineHost.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database,
            ["PolicyEngine:ReevaluationQueue"] = queue,
        });
        var cacheOfB = b.Services.GetRequiredService<VerdictCache>();
        cacheOfB.Set("registry.example.com/dev/other:latest", null);
        Assert.Equal(1, cacheOfB.Count);

        await a.CreatedAsync("/api/exceptions", MinimistException);
        var deadline = DateTime.UtcNow + Wait;
        while (cacheOfB.Count != 0 && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Equal(0, cacheOfB.Count);
    }
}

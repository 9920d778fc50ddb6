using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Persistence.Inbox;
using SupplyChainMesh.PolicyEngine.Infrastructure;

namespace SupplyChainMesh.Mesh.Tests.PolicyEngine;

/// <summary>
/// ImageAssessed → PolicySatisfied / PolicyViolated on the real broker and database, with the sample policy and real
/// assessments of the test images: a clean image goes to qa/&lt;name&gt; under the same tag, a vulnerable one is held
/// with its CVEs named; re-evaluation publishes nothing new; exceptions and VEX change the verdict.
/// </summary>
public sealed class EvaluationTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(4);
    private PolicyVerdictTestBed _bed = null!;
    private PolicyEngineHost _host = null!;
    private BusProbe<PolicySatisfied> _satisfied = null!;
    private BusProbe<PolicyViolated> _violated = null!;

    public async Task InitializeAsync()
    {
        _bed = await PolicyVerdictTestBed.StartAsync();
        (_host, _satisfied, _violated) = (_bed.Host, _bed.Satisfied, _bed.Violated);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private async Task<ImageAssessed> AssessAsync(string image, string repository, string tag, string? digest = null)
    {
        var assessment = PolicyTestData.Assessment(image, repository, tag, digest ?? PolicyTestData.NewDigest());
        var message = PolicyTestData.Assessed(assessment, _host.Assessments.Add(assessment));
        await _satisfied.Bus.Publish(message);
        return message;
    }

    [Fact]
    public async Task A_clean_image_satisfies_the_sample_policy_and_is_promoted_to_qa_under_the_same_tag()
    {
        var message = await AssessAsync("bookworm-minbase", "dev/base", "latest");

        var satisfied = await _satisfied.NextAsync(m => m.Image.Digest == message.Image.Digest, Wait);
        Assert.Equal("qa/base", satisfied.TargetRepository);
        Assert.Equal("latest", satisfied.TargetTag);
        Assert.Equal("copy", satisfied.Action);
        Assert.Equal("dev to qa", satisfied.PolicyName);
        Assert.StartsWith("sha256:", satisfied.Fingerprint, StringComparison.Ordinal);

        var verdict = Assert.Single(await _host.VerdictsAsync("dev/base", message.Image.Digest));
        Assert.Equal("satisfied", verdict!["outcome"]!.GetValue<string>());
        Assert.Equal(satisfied.Fingerprint, verdict["fingerprint"]!.GetValue<string>());
        Assert.Equal(message.ReportId, verdict["reportId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_vulnerable_image_violates_it_naming_the_critical_CVE_and_re_evaluation_publishes_nothing_new()
    {
        var message = await AssessAsync("app-mixed", "dev/shop", "latest");

        var violated = await _violated.NextAsync(m => m.Image.Digest == message.Image.Digest, Wait);
        var failed = Assert.Single(violated.FailedCriteria);
        Assert.Contains("vulnerabilityCount", failed.Criterion, StringComparison.Ordinal);
        Assert.Equal(["CVE-2021-44906", "GHSA-xvch-5gv4-984h"], failed.VulnerabilityIds.Order(StringComparer.Ordinal));
        Assert.Contains("CVE-2021-44906", (await _host.VerdictsAsync("dev/shop", message.Image.Digest)).ToJsonString(), StringComparison.Ordinal);

        // The same assessment again (a new message, e.g. a feed update that changed nothing for this image) and the same
        // message redelivered (same MessageId): no new verdict.
        var again = PolicyTestData.Assessed(PolicyTestData.Assessment("app-mixed", "dev/shop", "latest", message.Image.Digest),
            _host.Assessments.Add(PolicyTestData.Assessment("app-mixed", "dev/shop", "latest", message.Image.Digest)));
        await _satisfied.Bus.Publish(again);
        var messageId = Guid.NewGuid();
        for (var i = 0; i < 2; i++) await _satisfied.Bus.Publish(again, ctx => ctx.MessageId = messageId);
        Assert.Equal(0, await _violated.CountAsync(m => m.Image.Digest == message.Image.Digest, Settle));
        Assert.Equal(0, await _satisfied.CountAsync(m => m.Image.Digest == message.Image.Digest, TimeSpan.Zero));

        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
        Assert.Equal(1, await db.Set<ProcessedMessage>().CountAsync(m => m.MessageId == messageId));
        var verdict = Assert.Single(await db.Verdicts.AsNoTracking().Where(v => v.Digest == message.Image.Digest).ToListAsync());
        Assert.Equal(again.ReportId, verdict.ReportId); // evaluated again, but nothing to say
    }

    [Fact]
    public async Task A_stored_policy_whose_target_renders_into_its_source_is_violated_on_its_action_not_promoted()
    {
        // Written to the database directly, as a policy stored before the validator refused such targets would be.
        var loop = new SupplyChainMesh.Policy.Promotion.PromotionPolicy
        {
            Name = "loop",
            SourceRepository = "dev/*",
            Order = 9,
            Action = new SupplyChainMesh.Policy.Promotion.PromotionAction { TargetRepository = "dev/{name}-rc", TagTemplate = "%n" },
        };
        Assert.False(SupplyChainMesh.Policy.Promotion.PolicyValidator.Validate(loop).IsValid);
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
            db.Policies.Add(new SupplyChainMesh.PolicyEngine.Model.StoredPolicy
            {
                Id = Guid.CreateVersion7(),
                Name = loop.Name,
                SourcePattern = loop.SourceRepository,
                Enabled = true,
                Order = loop.Order,
                Document = SupplyChainMesh.Policy.Serialization.PolicyJson.Serialize(loop),
                Version = 1,
            });
            await db.SaveChangesAsync();
        }

        var message = await AssessAsync("bookworm-minbase", "dev/looping", "latest");
        var violated = await _violated.NextAsync(m => m.Image.Digest == message.Image.Digest && m.PolicyName == "loop", Wait);
        var failed = Assert.Single(violated.FailedCriteria);
        Assert.Equal("action", failed.Criterion);
        Assert.Equal("The target repository 'dev/{name}-rc' renders to 'dev/looping-rc' for 'dev/looping', which matches the source pattern 'dev/*': " +
            "promoted images would be promoted again.", failed.Reason);
        // The sample policy (dev/* to qa/{name}) still promotes the image.
        Assert.Equal("qa/looping", (await _satisfied.NextAsync(m => m.Image.Digest == message.Image.Digest, Wait)).TargetRepository);
    }

    [Fact]
    public async Task Another_tag_of_the_same_digest_gets_its_own_verdict()
    {
        var digest = PolicyTestData.NewDigest();
        await AssessAsync("bookworm-minbase", "dev/again", "latest", digest);
        await _satisfied.NextAsync(m => m.Image.Digest == digest, Wait);
        await AssessAsync("bookworm-minbase", "dev/again", "candidate", digest);
        var violated = await _violated.NextAsync(m => m.Image.Digest == digest && m.Image.Tag == "candidate", Wait);
        Assert.Contains("tag", Assert.Single(violated.FailedCriteria).Criterion, StringComparison.Ordinal);
        var verdicts = await _host.VerdictsAsync("dev/again", digest);
        Assert.Equal(["candidate", "latest"], verdicts.Select(v => v!["tag"]!.GetValue<string>()).Order());
    }

    [Fact]
    public async Task An_exception_for_the_critical_CVE_turns_the_violation_into_a_promotion_until_it_expires()
    {
        var message = await AssessAsync("app-mixed", "dev/cart", "latest");
        await _violated.NextAsync(m => m.Image.Digest == message.Image.Digest, Wait);

        // Accepted for dev/* by its CVE alias (the finding is the GHSA id), for minimist only.
        await _host.CreatedAsync("/api/exceptions", """
            { "scope": "repository", "target": "dev/*", "vulnerabilityId": "CVE-2021-44906", "packagePurl": "pkg:npm/minimist",
              "reason": "minimist parses only our own build flags", "createdBy": "alice" }
            """);
        await AssessAsync("app-mixed", "dev/cart", "latest", message.Image.Digest);
        var satisfied = await _satisfied.NextAsync(m => m.Image.Digest == message.Image.Digest, Wait);
        Assert.Equal("qa/cart", satisfied.TargetRepository);
        var verdict = Assert.Single(await _host.VerdictsAsync("dev/cart", message.Image.Digest));
        Assert.Equal("satisfied", verdict!["outcome"]!.GetValue<string>());

        // An exception already expired is refused; one for another image's digest does not apply here.
        var (expired, problem) = await _host.SendAsync(HttpMethod.Post, "/api/exceptions",
            """{ "scope": "global", "vulnerabilityId": "CVE-2021-44906", "reason": "r", "createdBy": "bob", "expiresAt": "2020-01-01T00:00:00Z" }""");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, expired.StatusCode);
        Assert.NotNull(problem!["errors"]!["expiresAt"]);
        var (badScope, scopeProblem) = await _host.SendAsync(HttpMethod.Post, "/api/exceptions",
            """{ "scope": "image", "target": "dev/cart", "vulnerabilityId": "CVE-2021-44906", "reason": "r", "createdBy": "bob" }""");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badScope.StatusCode);
        Assert.NotNull(scopeProblem!["errors"]!["target"]);

        var list = (await _host.SendAsync(HttpMethod.Get, "/api/exceptions")).Body!.AsArray();
        var exception = Assert.Single(list);
        Assert.True(exception!["active"]!.GetValue<bool>());
        Assert.Equal("repository", exception["scope"]!.GetValue<string>());
        Assert.Equal(System.Net.HttpStatusCode.NoContent,
            (await _host.SendAsync(HttpMethod.Delete, $"/api/exceptions/{exception["id"]!.GetValue<Guid>()}")).Response.StatusCode);

        // Without the exception the image violates again.
        await AssessAsync("app-mixed", "dev/cart", "latest", message.Image.Digest);
        await _violated.NextAsync(m => m.Image.Digest == message.Image.Digest, Wait);
    }

    [Fact]
    public async Task A_VEX_not_affected_statement_suppresses_the_finding_with_its_justification()
    {
        var message = await AssessAsync("app-mixed", "dev/vexed", "latest");
        await _violated.NextAsync(m => m.Image.Digest == message.Image.Digest, Wait);

        var openVex = $$"""
            {
              "@context": "https://openvex.dev/ns/v0.2.0",
              "@id": "https://example.com/vex/shop-2026-11-29",
              "author": "Shop security team",
              "timestamp": "2026-11-29T12:00:00Z",
              "version": 1,
              "statements": [
                {
                  "vulnerability": { "name": "CVE-2021-44906" },
                  "products": [ { "@id": "pkg:oci/vexed?repository_url={{PolicyTestData.Registry}}/dev/vexed",
                                  "subcomponents": [ { "@id": "pkg:npm/minimist@1.2.5" } ] } ],
                  "status": "not_affected",
                  "justification": "vulnerable_code_not_in_execute_path",
                  "impact_statement": "minimist only parses the build script's own arguments"
                }
              ]
            }
            """;
        var uploaded = await _host.CreatedAsync("/api/vex", openVex);
        Assert.Equal("openvex", uploaded["format"]!.GetValue<string>());
        Assert.Equal(1, uploaded["statementCount"]!.GetValue<int>());

        await AssessAsync("app-mixed", "dev/vexed", "latest", message.Image.Digest);
        var satisfied = await _satisfied.NextAsync(m => m.Image.Digest == message.Image.Digest, Wait);
        Assert.Equal("qa/vexed", satisfied.TargetRepository);

        // The dry run shows why the finding no longer counts.
        var (_, report) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run",
            $$"""{ "repository": "dev/vexed", "digest": "{{message.Image.Digest}}", "tag": "latest", "registry": "{{PolicyTestData.Registry}}" }""");
        Assert.Contains("vulnerable_code_not_in_execute_path", report!["suppressedFindings"]!.ToJsonString(), StringComparison.Ordinal);

        var (notVex, problem) = await _host.SendAsync(HttpMethod.Post, "/api/vex", """{ "hello": "world" }""");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, notVex.StatusCode);
        Assert.Contains("OpenVEX", problem!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(System.Net.HttpStatusCode.NoContent,
            (await _host.SendAsync(HttpMethod.Delete, $"/api/vex/{uploaded["id"]!.GetValue<Guid>()}")).Response.StatusCode);
        Assert.Empty((await _host.SendAsync(HttpMethod.Get, "/api/vex")).Body!.AsArray());
    }
    [Fact]
    public async Task A_CycloneDX_VEX_upload_suppresses_the_finding_with_its_justification()
    {
        var message = await AssessAsync("app-mixed", "dev/cdxvexed", "latest");
        await _violated.NextAsync(m => m.Image.Digest == message.Image.Digest, Wait);

        var document = System.Text.Encoding.UTF8.GetString(CycloneDxVex.MinimistNotAffected(PolicyTestData.Registry, "dev/cdxvexed"));
        var uploaded = await _host.CreatedAsync("/api/vex", document);
        Assert.Equal("cyclonedx", uploaded["format"]!.GetValue<string>());
        Assert.Equal(1, uploaded["statementCount"]!.GetValue<int>());
        Assert.Equal("code_not_reachable", uploaded["statements"]![0]!["justification"]!.GetValue<string>());

        await AssessAsync("app-mixed", "dev/cdxvexed", "latest", message.Image.Digest);
        var satisfied = await _satisfied.NextAsync(m => m.Image.Digest == message.Image.Digest, Wait);
        Assert.Equal("qa/cdxvexed", satisfied.TargetRepository);

        var by = await _host.MinimistSuppressionAsync("dev/cdxvexed", message.Image.Digest);
        Assert.Equal("vex", by["kind"]!.GetValue<string>());
        Assert.Equal("VEX not_affected: code_not_reachable (minimist only parses the build script's own arguments)", by["reason"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{ "bomFormat": "CycloneDX", "specVersion": "1.5", "components": [] }""", "is an SBOM, not VEX")]
    [InlineData("""{ "@context": "https://example.com/not-openvex", "statements": [] }""", "not an OpenVEX namespace")]
    [InlineData("""{ "hello": "world" }""", "Neither OpenVEX")]
    public async Task A_document_of_no_known_VEX_format_is_a_400_naming_the_problem(string document, string problem)
    {
        var (response, body) = await _host.SendAsync(HttpMethod.Post, "/api/vex", document);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(problem, body!["errors"]!["$"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

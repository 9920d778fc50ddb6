using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SupplyChainMesh.Mesh.Tests.PolicyEngine;

/// <summary>The policy API on a real PolicyEngine host and database: validation naming the field, CRUD with a unique
/// name and optimistic concurrency, and dry runs on real assessments.</summary>
public sealed class PolicyApiTests : IAsyncLifetime
{
    private PolicyEngineHost _host = null!;

    public async Task InitializeAsync() => _host = await PolicyEngineHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static string Policy(string name, string source = "dev/*", string target = "qa/{name}", string template = "%n", string criteria = "") =>
        $$"""
        { "name": "{{name}}", "sourceRepository": "{{source}}", "order": 1,
          "criteria": [ {{criteria}} ],
          "action": { "targetRepository": "{{target}}", "tagTemplate": "{{template}}", "mode": "copy" } }
        """;

    [Theory]
    [InlineData("""{"kind":"tag","operator":"regex","value":"^release-(\\d+"}""", "criteria[0].value")]
    [InlineData("""{"kind":"vulnerabilityCount","severity":"extreme","operator":"=","count":0}""", "criteria[0].severity")]
    [InlineData("""{"kind":"vulnerabilityCount","severity":"high","operator":"=>","count":0}""", "criteria[0].operator")]
    [InlineData("""{"kind":"colour","value":"red"}""", "criteria[0]")]
    public async Task A_bad_criterion_is_a_400_naming_the_field(string criterion, string field)
    {
        var (response, body) = await _host.SendAsync(HttpMethod.Post, "/api/policies", Policy("bad", criteria: criterion));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(body!["errors"]![field]);
    }

    [Theory]
    [InlineData("dev/*", "qa/{name}", "%n-%q", "action.tagTemplate")]
    [InlineData("dev/app", "dev/app", "%n", "action.targetRepository")]
    [InlineData("dev/*", "dev/{name}-2", "%n", "action.targetRepository")]
    [InlineData("dev/app", "dev/{name}", "%n", "action.targetRepository")]
    [InlineData("dev/*", "{repository}", "%n", "action.targetRepository")]
    [InlineData("dev/*", "{repository}-prod", "%n", "action.targetRepository")]
    [InlineData("dev/*", "qa/{team}", "%n", "action.targetRepository")]
    [InlineData("Dev/*", "qa/x", "%n", "sourceRepository")]
    public async Task A_bad_source_target_or_template_is_a_400_naming_the_field(string source, string target, string template, string field)
    {
        var (response, body) = await _host.SendAsync(HttpMethod.Post, "/api/policies", Policy("bad", source, target, template));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body!["errors"]![field]);
    }

    [Theory]
    [InlineData("{ \"name\": ", "$")]
    [InlineData("[1, 2]", "$")]
    [InlineData("""{ "name": "", "sourceRepository": "dev/*", "action": { "targetRepository": "qa/x" } }""", "name")]
    [InlineData("""{ "name": "x", "sourceRepository": "dev/*", "colour": "red", "action": { "targetRepository": "qa/x" } }""", "colour")]
    public async Task Malformed_policy_json_is_a_400_not_a_500(string json, string field)
    {
        var (response, body) = await _host.SendAsync(HttpMethod.Post, "/api/policies", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body!["errors"]![field]);
    }

    [Fact]
    public async Task Policies_are_created_read_updated_with_their_version_and_deleted()
    {
        var (created, body) = await _host.SendAsync(HttpMethod.Post, "/api/policies", PolicyTestData.SamplePolicy);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = body!["id"]!.GetValue<Guid>();
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        Assert.Equal("qa/{name}", body["action"]!["targetRepository"]!.GetValue<string>());

        var (duplicate, problem) = await _host.SendAsync(HttpMethod.Post, "/api/policies", PolicyTestData.SamplePolicy);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("dev to qa", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var (read, stored) = await _host.SendAsync(HttpMethod.Get, $"/api/policies/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(2, stored!["criteria"]!.AsArray().Count);

        // What was read goes back with a change and its ETag.
        stored["order"] = 5;
        var (updated, after) = await _host.SendAsync(HttpMethod.Put, $"/api/policies/{id}", stored.ToJsonString(), "\"1\"");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(2, after!["version"]!.GetValue<int>());
        Assert.Equal(5, after["order"]!.GetValue<int>());

        // A writer who read version 1 loses; one who says nothing is asked to.
        var (stale, staleProblem) = await _host.SendAsync(HttpMethod.Put, $"/api/policies/{id}", stored.ToJsonString(), "\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
        Assert.Contains("version 1", staleProblem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        stored.AsObject().Remove("version");
        var (blind, _) = await _host.SendAsync(HttpMethod.Put, $"/api/policies/{id}", stored.ToJsonString());
        Assert.Equal((HttpStatusCode)428, blind.StatusCode);
        var (invalid, invalidBody) = await _host.SendAsync(HttpMethod.Put, $"/api/policies/{id}",
            Policy("dev to qa", template: "%n-%Q"), "\"2\"");
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotNull(invalidBody!["errors"]!["action.tagTemplate"]);

        var (list, all) = await _host.SendAsync(HttpMethod.Get, "/api/policies");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(id, Assert.Single(all!.AsArray())!["id"]!.GetValue<Guid>());

        Assert.Equal(HttpStatusCode.NoContent, (await _host.SendAsync(HttpMethod.Delete, $"/api/policies/{id}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.SendAsync(HttpMethod.Get, $"/api/policies/{id}")).Response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.SendAsync(HttpMethod.Delete, $"/api/policies/{id}")).Response.StatusCode);
    }

    [Fact]
    public async Task A_dry_run_says_which_policies_an_image_would_satisfy_and_why_not_the_others()
    {
        await _host.CreatedAsync("/api/policies", PolicyTestData.SamplePolicy);
        await _host.CreatedAsync("/api/policies", Policy("prod only", "prod/*", "release/{name}"));
        await _host.CreatedAsync("/api/policies", Policy("no high", criteria: """{"kind":"vulnerabilityCount","severity":"high","operator":"=","count":0}"""));

        // An inline assessment of app-mixed: minimist CVE-2021-44906 is critical, lodash and Newtonsoft.Json high.
        var shop = PolicyTestData.Assessment("app-mixed", "dev/shop", "latest", PolicyTestData.NewDigest());
        var request = new JsonObject { ["assessment"] = JsonSerializer.SerializeToNode(shop, SupplyChainMesh.PolicyEngine.Assessments.FeedSyncAssessmentSource.Json) };
        var (response, report) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run", request.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(report!["wouldSatisfy"]!.AsArray());
        var violations = report["wouldViolate"]!.AsArray();
        Assert.Equal(["dev to qa", "no high"], violations.Select(v => v!["policyName"]!.GetValue<string>()).Order());
        Assert.Contains("GHSA-xvch-5gv4-984h", violations.Single(v => v!["policyName"]!.GetValue<string>() == "dev to qa")!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("GHSA-35jh-r3h4-6jhm", violations.Single(v => v!["policyName"]!.GetValue<string>() == "no high")!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal("prod only", Assert.Single(report["notApplicable"]!.AsArray())!["policyName"]!.GetValue<string>());

        // By repository and digest: the assessment is fetched (here from the recorded FeedSync double).
        var digest = PolicyTestData.NewDigest();
        _host.Assessments.Add(PolicyTestData.Assessment("bookworm-minbase", "dev/base", "latest", digest));
        (response, report) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run",
            $$"""{ "repository": "dev/base", "digest": "{{digest}}", "tag": "latest" }""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // bookworm-minbase has only low and negligible findings: both dev policies hold.
        var wouldSatisfy = report!["wouldSatisfy"]!.AsArray();
        Assert.Equal(["dev to qa", "no high"], wouldSatisfy.Select(v => v!["policyName"]!.GetValue<string>()).Order());
        var satisfied = wouldSatisfy.Single(v => v!["policyName"]!.GetValue<string>() == "dev to qa");
        Assert.Contains("would copy to qa/base:latest", satisfied!.ToJsonString(), StringComparison.Ordinal);

        // The same image under another tag fails the tag criterion.
        (_, report) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run",
            $$"""{ "repository": "dev/base", "digest": "{{digest}}", "tag": "candidate" }""");
        Assert.Contains("tag", report!["wouldViolate"]!.AsArray().Single(v => v!["policyName"]!.GetValue<string>() == "dev to qa")!.ToJsonString(), StringComparison.Ordinal);

        // A policy tried before it is stored.
        (_, report) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run",
            $$"""{ "repository": "dev/base", "digest": "{{digest}}", "policies": [ {{Policy("trial", target: "staging/{name}", template: "%n-%Y")}} ] }""");
        Assert.Contains("would copy to staging/base:latest-", Assert.Single(report!["wouldSatisfy"]!.AsArray())!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dry_run_without_an_image_or_of_an_unknown_image_is_answered_clearly()
    {
        var (response, body) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run", """{ "tag": "latest" }""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body!["errors"]!["repository"]);
        Assert.NotNull(body["errors"]!["digest"]);

        (response, _) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run", $$"""{ "repository": "dev/none", "digest": "{{PolicyTestData.NewDigest()}}" }""");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        (response, body) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run", """{ "assessment": { "repository": 5 } }""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("assessment", ((JsonObject)body!["errors"]!).Single().Key, StringComparison.Ordinal);
    }
    [Fact]
    public async Task A_dry_run_by_image_reference_resolves_the_tag_through_the_evaluated_images()
    {
        await _host.CreatedAsync("/api/policies", PolicyTestData.SamplePolicy);
        var digest = PolicyTestData.NewDigest();
        await _host.EvaluateAsync("bookworm-minbase", "dev/base", "latest", digest);

        // By tag: the digest last evaluated under it, with the tag the reference names.
        var (response, report) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run", $$"""{ "image": "{{PolicyTestData.Registry}}/dev/base:latest" }""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"{PolicyTestData.Registry}/dev/base:latest@{digest}", report!["image"]!.GetValue<string>());
        Assert.Contains("would copy to qa/base:latest", Assert.Single(report["wouldSatisfy"]!.AsArray())!.ToJsonString(), StringComparison.Ordinal);

        // By digest, tried under another tag: the sample policy's tag criterion fails.
        (response, report) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run", $$"""{ "image": "{{PolicyTestData.Registry}}/dev/base@{{digest}}", "tag": "candidate" }""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(report!["wouldSatisfy"]!.AsArray());
        Assert.Equal("dev to qa", Assert.Single(report["wouldViolate"]!.AsArray())!["policyName"]!.GetValue<string>());

        // A tag never evaluated: 404 problem details; a reference that does not parse: 400 naming "image".
        (response, var problem) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run", $$"""{ "image": "{{PolicyTestData.Registry}}/dev/base:never-pushed" }""");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("dev/base:never-pushed", problem!["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        (response, problem) = await _host.SendAsync(HttpMethod.Post, "/api/policies/dry-run", """{ "image": "registry.example.com/Dev/Base:latest" }""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("is not an image reference", problem!["errors"]!["image"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }
}

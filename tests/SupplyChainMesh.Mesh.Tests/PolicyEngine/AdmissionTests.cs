using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using SupplyChainMesh.PolicyEngine.Infrastructure;

namespace SupplyChainMesh.Mesh.Tests.PolicyEngine;

/// <summary>
/// The admission webhook on a real host: rules through the API, verdicts from images evaluated through ImageAssessed,
/// and AdmissionReviews as the Kubernetes API server sends them (a Pod with init containers, a Deployment, a CronJob,
/// an ephemeral debug container, a v1beta1 review, a DELETE).
/// </summary>
public sealed class AdmissionTests : IAsyncLifetime
{
    private const string PaymentsDigest = "sha256:4a1c4b21597c1b4415bdbecb28a3296c6b5e23ca4f9feeb599860a1dac6a0108";
    private const string ProdRule = """
        { "name": "prod images", "namespaces": ["prod"], "allowedRepositories": ["registry.example.com/prod/**"],
          "requireScanned": true, "maxSeverity": "high", "denyKev": true, "mode": "enforce", "onUnknownVerdict": "failClosed" }
        """;
    private PolicyEngineHost _host = null!;

    public async Task InitializeAsync() => _host = await PolicyEngineHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private Task<JsonNode> ReviewAsync(string file) => ReviewJsonAsync(PolicyTestData.Text(file));

    private async Task<JsonNode> ReviewJsonAsync(string json)
    {
        var (response, body) = await _host.SendAsync(HttpMethod.Post, "/api/admission/validate", json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("AdmissionReview", body!["kind"]!.GetValue<string>());
        return body["response"]!;
    }

    private Task AssessAsync(string image, string repository, string tag, string digest) => _host.EvaluateAsync(image, repository, tag, digest);

    [Theory]
    [InlineData("""{ "name": "r", "namespaces": ["prod"], "denyKev": true, "objectSelector": { "matchExpressions": [ { "key": "app", "operator": "Like", "values": ["x"] } ] } }""", "objectSelector.matchExpressions[0].operator")]
    [InlineData("""{ "name": "r", "namespaces": ["prod"] }""", "$")]
    [InlineData("""{ "name": "r", "maxSeverity": "extreme" }""", "maxSeverity")]
    [InlineData("""{ "name": "r", "denyKev": true, "mode": "shout" }""", "mode")]
    [InlineData("""{ "name": "", "denyKev": true }""", "name")]
    public async Task A_bad_rule_is_a_400_naming_the_field(string rule, string field)
    {
        var (response, body) = await _host.SendAsync(HttpMethod.Post, "/api/admission/rules", rule);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(body!["errors"]![field]);
    }

    [Fact]
    public async Task Rules_are_created_updated_with_their_version_listed_and_deleted()
    {
        var created = await _host.CreatedAsync("/api/admission/rules", ProdRule);
        var id = created["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.Conflict, (await _host.SendAsync(HttpMethod.Post, "/api/admission/rules", ProdRule)).Response.StatusCode);
        created["mode"] = "warn";
        var (updated, body) = await _host.SendAsync(HttpMethod.Put, $"/api/admission/rules/{id}", created.ToJsonString(), "\"1\"");
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("warn", body!["mode"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await _host.SendAsync(HttpMethod.Put, $"/api/admission/rules/{id}", created.ToJsonString(), "\"1\"")).Response.StatusCode);
        Assert.Single((await _host.SendAsync(HttpMethod.Get, "/api/admission/rules")).Body!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, (await _host.SendAsync(HttpMethod.Delete, $"/api/admission/rules/{id}")).Response.StatusCode);
        Assert.Empty((await _host.SendAsync(HttpMethod.Get, "/api/admission/rules")).Body!.AsArray());
    }

    [Fact]
    public async Task A_pod_is_denied_naming_each_image_and_rule_it_breaks_and_admitted_once_its_images_are_fixed()
    {
        await _host.CreatedAsync("/api/admission/rules", ProdRule);
        await AssessAsync("bookworm-minbase", "prod/payments", "1.4.2", PaymentsDigest);
        await AssessAsync("app-mixed", "prod/payments-migrations", "2.4.1", PolicyTestData.NewDigest());

        // pod-create.json: init container prod/payments-migrations:2.4.1 (critical minimist), container
        // prod/payments@sha256:4a1c... (clean), sidecar fluent/fluent-bit:3.1 (Docker Hub, not allowed in prod).
        var response = await ReviewAsync("pod-create.json");
        Assert.Equal("3c4e1f0a-8f5b-4c1e-9a43-5f8c2e7d9b10", response["uid"]!.GetValue<string>());
        Assert.False(response["allowed"]!.GetValue<bool>());
        var message = response["status"]!["message"]!.GetValue<string>();
        Assert.Contains("registry.example.com/prod/payments-migrations:2.4.1", message, StringComparison.Ordinal);
        Assert.Contains("above high (1 critical)", message, StringComparison.Ordinal);
        Assert.Contains("fluent/fluent-bit:3.1", message, StringComparison.Ordinal);
        Assert.Contains("is not allowed here", message, StringComparison.Ordinal);
        Assert.DoesNotContain($"prod/payments@{PaymentsDigest}' (container", message, StringComparison.Ordinal);

        // A fixed migrations image under the same tag: the cached verdict is dropped and the pod's init container passes.
        await AssessAsync("bookworm-minbase", "prod/payments-migrations", "2.4.1", PolicyTestData.NewDigest());
        message = (await ReviewAsync("pod-create.json"))["status"]!["message"]!.GetValue<string>();
        Assert.DoesNotContain("payments-migrations", message, StringComparison.Ordinal);
        Assert.Contains("fluent/fluent-bit:3.1", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Workloads_ephemeral_containers_other_versions_and_deletes_are_answered()
    {
        await _host.CreatedAsync("/api/admission/rules", ProdRule);
        await AssessAsync("bookworm-minbase", "prod/payments", "1.4.2", PaymentsDigest);

        // A Deployment in prod running a dev image.
        var deployment = await ReviewAsync("deployment-create.json");
        Assert.False(deployment["allowed"]!.GetValue<bool>());
        Assert.Contains("registry.example.com/dev/checkout:1.8.0", deployment["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // A CronJob whose images were never evaluated: the rule fails closed.
        var cronJob = await ReviewAsync("cronjob-create.json");
        Assert.False(cronJob["allowed"]!.GetValue<bool>());
        Assert.Contains("it has not been scanned", cronJob["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);

        // kubectl debug adds busybox as an ephemeral container: only that container is judged.
        var debug = await ReviewAsync("pod-ephemeral-debug.json");
        Assert.False(debug["allowed"]!.GetValue<bool>());
        var debugMessage = debug["status"]!["message"]!.GetValue<string>();
        Assert.Contains("ephemeral container 'debugger-q2lzp'", debugMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("container 'payments'", debugMessage, StringComparison.Ordinal);

        var delete = await ReviewAsync("pod-delete.json");
        Assert.True(delete["allowed"]!.GetValue<bool>());

        var beta = await ReviewAsync("pod-create-v1beta1.json");
        Assert.False(beta["allowed"]!.GetValue<bool>());
        Assert.Equal(400, beta["status"]!["code"]!.GetValue<int>());

        // In warn mode the same Deployment is admitted with the reason as a warning.
        var rule = (await _host.SendAsync(HttpMethod.Get, "/api/admission/rules")).Body!.AsArray().Single()!;
        rule["mode"] = "warn";
        Assert.Equal(HttpStatusCode.OK, (await _host.SendAsync(HttpMethod.Put, $"/api/admission/rules/{rule["id"]}", rule.ToJsonString(), "\"1\"")).Response.StatusCode);
        var warned = await ReviewAsync("deployment-create.json");
        Assert.True(warned["allowed"]!.GetValue<bool>());
        Assert.Contains("dev/checkout", warned["warnings"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("statefulset-create.json", "e1b7c0a4-5f2d-4d7e-9a11-3c2b8f6d0a51", "registry.example.com/dev/pg-init:0.3", "init container 'init-permissions'", "registry.example.com/dev/pg-init")]
    [InlineData("daemonset-create.json", "5d2c7e90-1a3b-4c6d-8e4f-7a9b0c1d2e3f", "quay.io/prometheus/node-exporter:v1.8.2", "container 'node-exporter'", "quay.io/prometheus/node-exporter")]
    [InlineData("replicaset-create.json", "a0c4e8f2-3b7d-4f1a-9c5e-2d6b8a0f4c1e", "registry.example.com/dev/checkout:1.9.0", "container 'checkout'", "registry.example.com/dev/checkout")]
    [InlineData("job-create.json", "c3d9a1f7-6e2b-4a8c-b0d4-9f1e3a5c7b2d", "ghcr.io/example/ledger-tools:2.0.1", "container 'backfill'", "ghcr.io/example/ledger-tools")]
    public async Task A_workload_review_from_the_api_server_is_denied_naming_the_image_and_the_rule(string file, string uid, string image, string container, string repository)
    {
        await _host.CreatedAsync("/api/admission/rules", ProdRule);
        var response = await ReviewAsync(file);
        Assert.Equal(uid, response["uid"]!.GetValue<string>());
        Assert.False(response["allowed"]!.GetValue<bool>());
        Assert.Equal(403, response["status"]!["code"]!.GetValue<int>());
        Assert.Contains(
            $"image '{image}' ({container}) breaks rule 'prod images': repository '{repository}' is not allowed here (allowed: registry.example.com/prod/**)",
            response["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_never_scanned_is_denied_by_a_require_scanned_rule_even_when_it_fails_open()
    {
        await _host.CreatedAsync("/api/admission/rules", """
            { "name": "scanned only", "namespaces": ["prod"], "requireScanned": true, "mode": "enforce", "onUnknownVerdict": "failOpen" }
            """);
        await AssessAsync("bookworm-minbase", "prod/payments", "1.4.2", PaymentsDigest);
        await AssessAsync("bookworm-minbase", "prod/payments-migrations", "2.4.1", PolicyTestData.NewDigest());

        // fluent/fluent-bit:3.1 was never pushed here, so never scanned: the lookup worked and found nothing.
        var response = await ReviewAsync("pod-create.json");
        Assert.False(response["allowed"]!.GetValue<bool>());
        Assert.Equal(
            "Denied by image policy: image 'fluent/fluent-bit:3.1' (container 'log-shipper') breaks rule 'scanned only': it has not been scanned (no scan or verdict is known for it).",
            response["status"]!["message"]!.GetValue<string>());
        Assert.Null(response["warnings"]);
    }

    [Fact]
    public async Task A_stored_rule_that_no_longer_reads_denies_with_the_reason_not_a_500()
    {
        await using (var scope = _host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PolicyDbContext>();
            db.AdmissionRules.Add(new SupplyChainMesh.PolicyEngine.Model.StoredAdmissionRule
            {
                Id = Guid.CreateVersion7(),
                Name = "legacy",
                Document = """{ "name": "legacy", "namespaces": ["prod"], "maxSeverity": "catastrophic" }""",
                Version = 1,
            });
            await db.SaveChangesAsync();
        }
        var response = await ReviewAsync("pod-create.json");
        Assert.Equal("3c4e1f0a-8f5b-4c1e-9a43-5f8c2e7d9b10", response["uid"]!.GetValue<string>());
        Assert.False(response["allowed"]!.GetValue<bool>());
        Assert.Equal(503, response["status"]!["code"]!.GetValue<int>());
        var message = response["status"]!["message"]!.GetValue<string>();
        Assert.StartsWith("The Pod 'payments-7d9f8' cannot be checked: the stored admission rule 'legacy' (", message, StringComparison.Ordinal);
        Assert.EndsWith("cannot be read. Denied because the configured default for unreadable admission rules fails closed.", message, StringComparison.Ordinal);
        Assert.True((await ReviewAsync("pod-delete.json"))["allowed"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_named_policy_satisfied_under_any_tag_of_a_digest_admits_it_by_digest_whatever_was_evaluated_last()
    {
        await _host.CreatedAsync("/api/policies", """
            { "name": "release", "sourceRepository": "prod/*", "order": 1,
              "criteria": [ { "kind": "tag", "operator": "oneOf", "values": ["latest", "stable"] } ],
              "action": { "targetRepository": "qa/{name}", "tagTemplate": "%n", "mode": "copy" } }
            """);
        await _host.CreatedAsync("/api/admission/rules", """
            { "name": "released only", "namespaces": ["prod"], "requiredPolicy": "release", "mode": "enforce", "onUnknownVerdict": "failClosed" }
            """);
        var digest = PolicyTestData.NewDigest();
        await AssessAsync("bookworm-minbase", "prod/app", "latest", digest);
        // The same digest under a tag the policy does not accept, evaluated last.
        await AssessAsync("bookworm-minbase", "prod/app", "candidate", digest);

        var byDigest = await ReviewJsonAsync(PodRunning($"registry.example.com/prod/app@{digest}"));
        Assert.True(byDigest["allowed"]!.GetValue<bool>(), byDigest["status"]?.ToJsonString());

        // By tag, the tag's own verdict counts.
        var byTag = await ReviewJsonAsync(PodRunning("registry.example.com/prod/app:candidate"));
        Assert.False(byTag["allowed"]!.GetValue<bool>());
        Assert.Contains("breaks rule 'released only': it does not satisfy policy 'release'", byTag["status"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True((await ReviewJsonAsync(PodRunning("registry.example.com/prod/app:latest")))["allowed"]!.GetValue<bool>());
    }

    // pod-create.json with its containers replaced by one running the image.
    private static string PodRunning(string image)
    {
        var node = JsonNode.Parse(PolicyTestData.Text("pod-create.json"))!;
        var spec = node["request"]!["object"]!["spec"]!.AsObject();
        spec.Remove("initContainers");
        spec["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = image, ["imagePullPolicy"] = "IfNotPresent" });
        node["request"]!["uid"] = Guid.NewGuid().ToString();
        return node.ToJsonString();
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("[]")]
    [InlineData("""{ "kind": "Pod", "apiVersion": "v1" }""")]
    public async Task A_body_that_is_not_an_AdmissionReview_is_a_400_problem(string body)
    {
        var (response, problem) = await _host.SendAsync(HttpMethod.Post, "/api/admission/validate", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Not an AdmissionReview", problem!["title"]!.GetValue<string>());
    }
}

using System.Text;
using System.Text.Json.Nodes;
using SupplyChainMesh.Policy.Admission;

namespace SupplyChainMesh.Policy.Tests.Admission;

/// <summary>Rules that could not be read (store down, a stored rule that no longer deserialises) and requests whose
/// kind is missing: a clear answer that echoes the uid, fail-closed unless configured or every rule says otherwise.</summary>
public class AdmissionRulesProblemTests
{
    private const string PodUid = "3c4e1f0a-8f5b-4c1e-9a43-5f8c2e7d9b10";

    private static byte[] Body(string file) => File.ReadAllBytes(TestImages.TestData("Admission", file));

    private static FakeVerdicts AllClean() => new FakeVerdicts()
        .Add("registry.example.com/prod/payments-migrations:2.4.1", FakeVerdicts.Clean())
        .Add("registry.example.com/prod/payments@sha256:4a1c4b21597c1b4415bdbecb28a3296c6b5e23ca4f9feeb599860a1dac6a0108", FakeVerdicts.Clean())
        .Add("fluent/fluent-bit:3.1", FakeVerdicts.Clean());

    [Fact]
    public async Task Unreadable_rules_deny_every_workload_by_default_and_say_why()
    {
        var controller = new AdmissionController([], new AdmissionRulesProblem("the admission rules cannot be loaded (connection refused)"));
        var denied = (await controller.ReviewAsync(Body("pod-create.json"), AllClean())).Response!;
        Assert.Equal(PodUid, denied.Uid);
        Assert.False(denied.Allowed);
        Assert.Equal(503, denied.Status!.Code);
        Assert.Equal(
            "The Pod 'payments-7d9f8' cannot be checked: the admission rules cannot be loaded (connection refused). " +
            "Denied because the configured default for unreadable admission rules fails closed.", denied.Status.Message);

        // What needs no rule is still answered as usual: a delete, or another version of the review.
        Assert.True((await controller.ReviewAsync(Body("pod-delete.json"), AllClean())).Response!.Allowed);
        Assert.Equal(400, (await controller.ReviewAsync(Body("pod-create-v1beta1.json"), AllClean())).Response!.Status!.Code);
    }

    [Fact]
    public async Task Unreadable_rules_configured_to_fail_open_check_the_readable_rules_and_warn()
    {
        var problem = new AdmissionRulesProblem("rule 'legacy' cannot be read", UnknownVerdictAction.FailOpen);
        var lenient = new AdmissionRule { Name = "no-kev", DenyKev = true };
        var admitted = (await new AdmissionController([lenient], problem).ReviewAsync(Body("pod-create.json"), AllClean())).Response!;
        Assert.True(admitted.Allowed);
        Assert.Equal("Checked without some admission rules (rule 'legacy' cannot be read): admitted because the configured default for unreadable rules fails open.",
            Assert.Single(admitted.Warnings!));

        // The rules that could be read still deny.
        var prodOnly = new AdmissionRule { Name = "prod-only", AllowedRepositories = ["registry.example.com/prod/*"] };
        var denied = (await new AdmissionController([prodOnly], problem).ReviewAsync(Body("pod-create.json"), AllClean())).Response!;
        Assert.False(denied.Allowed);
        Assert.Contains("'fluent/fluent-bit:3.1' (container 'log-shipper') breaks rule 'prod-only'", denied.Status!.Message, StringComparison.Ordinal);
    }

    private static byte[] WithoutKind()
    {
        var node = JsonNode.Parse(Body("pod-create.json"))!;
        node["request"]!.AsObject().Remove("kind");
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    [Fact]
    public async Task A_request_without_a_kind_is_treated_like_one_without_an_object()
    {
        var rule = new AdmissionRule { Name = "prod-only", Namespaces = ["prod"], AllowedRepositories = ["prod/*"] };
        var closed = (await new AdmissionController([rule]).ReviewAsync(WithoutKind(), AllClean())).Response!;
        Assert.Equal(PodUid, closed.Uid);
        Assert.False(closed.Allowed);
        Assert.Equal(400, closed.Status!.Code);
        Assert.Equal("The request for 'payments-7d9f8' names no kind (request.kind), so its images cannot be found. Denied because rule 'prod-only' fails closed.",
            closed.Status.Message);

        var open = (await new AdmissionController([rule with { OnUnknownVerdict = UnknownVerdictAction.FailOpen }]).ReviewAsync(WithoutKind(), AllClean())).Response!;
        Assert.True(open.Allowed);
        Assert.Contains("names no kind", Assert.Single(open.Warnings!), StringComparison.Ordinal);

        // No rule covers the namespace: nothing to enforce.
        Assert.True((await new AdmissionController([rule with { Namespaces = ["staging"] }]).ReviewAsync(WithoutKind(), AllClean())).Response!.Allowed);
    }
}

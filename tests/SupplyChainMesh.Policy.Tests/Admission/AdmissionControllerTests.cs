using System.Text;
using System.Text.Json;
using SupplyChainMesh.Policy.Admission;
using SupplyChainMesh.Policy.Assessments;

namespace SupplyChainMesh.Policy.Tests.Admission;

public class AdmissionControllerTests
{
    private const string PaymentsDigest = "sha256:4a1c4b21597c1b4415bdbecb28a3296c6b5e23ca4f9feeb599860a1dac6a0108";

    private static readonly AdmissionRule ProdOnly = new()
    {
        Name = "prod-only",
        Namespaces = ["prod"],
        AllowedRepositories = ["prod/*", "registry.example.com/prod/*"],
        RequireScanned = true,
        MaxSeverity = Severity.High,
        DenyKev = true,
    };

    private static byte[] Body(string file) => File.ReadAllBytes(TestImages.TestData("Admission", file));

    private static FakeVerdicts PaymentsVerdicts() => new FakeVerdicts()
        .Add("registry.example.com/prod/payments-migrations:2.4.1", FakeVerdicts.Clean())
        .Add($"registry.example.com/prod/payments@{PaymentsDigest}", FakeVerdicts.Clean(PaymentsDigest))
        .Add("fluent/fluent-bit:3.1", FakeVerdicts.Clean());

    private static async Task<AdmissionResponse> Review(AdmissionController controller, string file, IImageVerdictLookup verdicts)
    {
        var review = await controller.ReviewAsync(Body(file), verdicts);
        Assert.Equal("admission.k8s.io/v1", review.ApiVersion);
        Assert.Equal("AdmissionReview", review.Kind);
        Assert.Null(review.Request);
        return review.Response!;
    }

    [Fact]
    public async Task A_pod_from_an_unallowed_repository_is_denied_naming_the_image_the_container_and_the_rule()
    {
        var response = await Review(new AdmissionController([ProdOnly]), "pod-create.json", PaymentsVerdicts());
        Assert.Equal("3c4e1f0a-8f5b-4c1e-9a43-5f8c2e7d9b10", response.Uid);
        Assert.False(response.Allowed);
        Assert.Equal(403, response.Status!.Code);
        Assert.Equal(
            "Denied by image policy: image 'fluent/fluent-bit:3.1' (container 'log-shipper') breaks rule 'prod-only': " +
            "repository 'docker.io/fluent/fluent-bit' is not allowed here (allowed: prod/*, registry.example.com/prod/*).",
            response.Status.Message);
    }

    [Fact]
    public async Task A_pod_whose_images_all_pass_is_allowed_and_each_distinct_image_is_looked_up_once()
    {
        var rule = ProdOnly with { AllowedRepositories = [] };
        var verdicts = PaymentsVerdicts();
        var response = await Review(new AdmissionController([rule, rule with { Name = "second" }]), "pod-create.json", verdicts);
        Assert.True(response.Allowed, response.Status?.Message);
        Assert.Null(response.Status);
        Assert.Null(response.Warnings);
        Assert.Equal(3, verdicts.Lookups.Count);
    }

    [Fact]
    public async Task Findings_above_the_severity_and_kev_are_both_named()
    {
        var verdicts = PaymentsVerdicts().Add($"registry.example.com/prod/payments@{PaymentsDigest}", FakeVerdicts.Vulnerable("CVE-2023-4911"));
        var rule = ProdOnly with { AllowedRepositories = [] };
        var response = await Review(new AdmissionController([rule]), "pod-create.json", verdicts);
        Assert.False(response.Allowed);
        Assert.Contains("(container 'payments') breaks rule 'prod-only': it has findings above high (1 critical); " +
                        "it has findings known to be exploited (CISA KEV): CVE-2023-4911", response.Status!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_policy_is_an_alternative_to_the_severity_bound()
    {
        var verdicts = PaymentsVerdicts().Add($"registry.example.com/prod/payments@{PaymentsDigest}", FakeVerdicts.Vulnerable() with { SatisfiedPolicies = new HashSet<string> { "prod-ready" } });
        var rule = ProdOnly with { AllowedRepositories = [], RequiredPolicy = "prod-ready" };
        Assert.True((await Review(new AdmissionController([rule]), "pod-create.json", verdicts)).Allowed);
        var denied = await Review(new AdmissionController([rule with { RequiredPolicy = "pci" }]), "pod-create.json", verdicts);
        Assert.Contains("it does not satisfy policy 'pci' and it has findings above high", denied.Status!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Warn_mode_admits_with_warnings_and_audit_mode_with_annotations()
    {
        var warn = await Review(new AdmissionController([ProdOnly with { Mode = AdmissionMode.Warn }]), "pod-create.json", PaymentsVerdicts());
        Assert.True(warn.Allowed);
        Assert.StartsWith("image 'fluent/fluent-bit:3.1' (container 'log-shipper') breaks rule 'prod-only'", Assert.Single(warn.Warnings!), StringComparison.Ordinal);

        var audit = await Review(new AdmissionController([ProdOnly with { Mode = AdmissionMode.Audit }]), "pod-create.json", PaymentsVerdicts());
        Assert.True(audit.Allowed);
        Assert.Null(audit.Warnings);
        Assert.Contains("fluent-bit", audit.AuditAnnotations![AdmissionController.AuditAnnotationKey], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_verdict_fails_closed_or_open_per_rule()
    {
        // Without requireScanned an image the store knows nothing of has unknown findings: the rule's setting decides.
        // (With requireScanned it breaks the rule whatever the setting: AdmissionVerdictStateTests.)
        var rule = ProdOnly with { AllowedRepositories = [], RequireScanned = false };
        var empty = new FakeVerdicts();
        var closed = await Review(new AdmissionController([rule]), "pod-create.json", empty);
        Assert.False(closed.Allowed);
        Assert.Contains("no verdict is known for it and the rule fails closed", closed.Status!.Message, StringComparison.Ordinal);

        var open = await Review(new AdmissionController([rule with { OnUnknownVerdict = UnknownVerdictAction.FailOpen }]), "pod-create.json", empty);
        Assert.True(open.Allowed);
        Assert.Equal(3, open.Warnings!.Count);
        Assert.All(open.Warnings, w => Assert.Contains("admitted without a verdict", w, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failing_lookup_counts_as_unknown_and_never_escapes()
    {
        var verdicts = new FakeVerdicts { Throw = new HttpRequestException("verdict cache unreachable") };
        var response = await Review(new AdmissionController([ProdOnly with { AllowedRepositories = [] }]), "pod-create.json", verdicts);
        Assert.False(response.Allowed);
        Assert.Contains("the verdict lookup failed: verdict cache unreachable", response.Status!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Require_digest_accepts_a_digest_reference_or_a_tag_that_resolves()
    {
        var rule = new AdmissionRule { Name = "pinned", RequireDigest = true };
        var resolving = PaymentsVerdicts();
        Assert.True((await Review(new AdmissionController([rule]), "pod-create.json", resolving)).Allowed);
        var unresolved = PaymentsVerdicts().Add("fluent/fluent-bit:3.1", FakeVerdicts.Clean() with { Digest = null });
        var denied = await Review(new AdmissionController([rule]), "pod-create.json", unresolved);
        Assert.Contains("'fluent/fluent-bit:3.1' (container 'log-shipper') breaks rule 'pinned': it is not referenced by digest", denied.Status!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Require_scanned_denies_an_unscanned_image()
    {
        var verdicts = PaymentsVerdicts().Add("registry.example.com/prod/payments-migrations:2.4.1", new ImageVerdict { Scanned = false });
        var response = await Review(new AdmissionController([new AdmissionRule { Name = "scanned", RequireScanned = true }]), "pod-create.json", verdicts);
        Assert.Contains("(init container 'migrate') breaks rule 'scanned': it has not been scanned", response.Status!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_the_ephemeral_container_is_checked_when_kubectl_debug_adds_one()
    {
        var response = await Review(new AdmissionController([ProdOnly]), "pod-ephemeral-debug.json", PaymentsVerdicts());
        Assert.Equal("b1f0c0de-2a7e-4b8d-93a1-7c6f5e4d3b21", response.Uid);
        Assert.False(response.Allowed);
        Assert.StartsWith("Denied by image policy: image 'busybox:1.36' (ephemeral container 'debugger-q2lzp') breaks rule 'prod-only'", response.Status!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'payments'", response.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deployment_from_dev_is_denied_in_prod()
    {
        var verdicts = new FakeVerdicts().Add("registry.example.com/dev/checkout:1.8.0", FakeVerdicts.Clean());
        var response = await Review(new AdmissionController([ProdOnly]), "deployment-create.json", verdicts);
        Assert.Equal("705ab4f5-6393-11e8-b7cc-42010a800002", response.Uid);
        Assert.Contains("repository 'registry.example.com/dev/checkout' is not allowed here", response.Status!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cronjob_is_checked_through_its_job_template()
    {
        var verdicts = new FakeVerdicts()
            .Add("registry.example.com/prod/wait-for:1.0", FakeVerdicts.Clean())
            .Add("registry.example.com/prod/report:3.2.0", FakeVerdicts.Vulnerable());
        var response = await Review(new AdmissionController([ProdOnly]), "cronjob-create.json", verdicts);
        Assert.False(response.Allowed);
        Assert.Contains("image 'registry.example.com/prod/report:3.2.0' (container 'report')", response.Status!.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wait-for", response.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_apply_by_namespace_and_object_labels()
    {
        var otherNamespace = ProdOnly with { Namespaces = ["staging", "prod-*"] };
        Assert.True((await Review(new AdmissionController([otherNamespace]), "pod-create.json", PaymentsVerdicts())).Allowed);

        var backendOnly = ProdOnly with { Namespaces = [], ObjectSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "backend" } } };
        Assert.False((await Review(new AdmissionController([backendOnly]), "pod-create.json", PaymentsVerdicts())).Allowed);

        var frontendOnly = backendOnly with { ObjectSelector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("tier", "In", ["frontend", "edge"])] } };
        Assert.True((await Review(new AdmissionController([frontendOnly]), "pod-create.json", PaymentsVerdicts())).Allowed);
    }

    [Fact]
    public async Task Delete_is_always_allowed()
    {
        var response = await Review(new AdmissionController([ProdOnly]), "pod-delete.json", new FakeVerdicts());
        Assert.True(response.Allowed);
        Assert.Equal("9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a", response.Uid);
    }

    [Fact]
    public async Task Another_api_version_is_refused_with_400_in_its_own_version()
    {
        var review = await new AdmissionController([ProdOnly]).ReviewAsync(Body("pod-create-v1beta1.json"), new FakeVerdicts());
        Assert.Equal("admission.k8s.io/v1beta1", review.ApiVersion);
        Assert.Equal("0d5e1c2b-7a8f-4e3d-9c6b-1a2f3e4d5c6b", review.Response!.Uid);
        Assert.False(review.Response.Allowed);
        Assert.Equal(400, review.Response.Status!.Code);
        Assert.Contains("Only admission.k8s.io/v1", review.Response.Status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", "", "has no request")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}}", "", "has no uid")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"Pod\",\"request\":{\"uid\":\"u1\"}}", "u1", "Expected kind AdmissionReview")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"request\":{\"uid\":\"u2\",", "", "not valid JSON")]
    [InlineData("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u3\",\"dryRun\":\"yes\"}}", "u3", "not valid JSON")]
    [InlineData("null", "", "JSON null")]
    public async Task Malformed_reviews_are_answered_with_400(string json, string uid, string message)
    {
        var review = await new AdmissionController([ProdOnly]).ReviewAsync(Encoding.UTF8.GetBytes(json), new FakeVerdicts());
        Assert.Equal(uid, review.Response!.Uid);
        Assert.False(review.Response.Allowed);
        Assert.Equal(400, review.Response.Status!.Code);
        Assert.Contains(message, review.Response.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_create_without_object_is_denied_when_the_rule_fails_closed_and_admitted_with_a_warning_when_open()
    {
        var json = File.ReadAllText(TestImages.TestData("Admission", "pod-create.json"));
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        node["request"]!["object"] = null;
        var body = Encoding.UTF8.GetBytes(node.ToJsonString());

        var closed = await new AdmissionController([ProdOnly]).ReviewAsync(body, new FakeVerdicts());
        Assert.False(closed.Response!.Allowed);
        Assert.Equal(400, closed.Response.Status!.Code);
        Assert.Contains("arrived without an object", closed.Response.Status.Message, StringComparison.Ordinal);
        Assert.Contains("'prod-only' fails closed", closed.Response.Status.Message, StringComparison.Ordinal);

        var open = await new AdmissionController([ProdOnly with { OnUnknownVerdict = UnknownVerdictAction.FailOpen }]).ReviewAsync(body, new FakeVerdicts());
        Assert.True(open.Response!.Allowed);
        Assert.Contains("fails open", Assert.Single(open.Response.Warnings!), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("registry.example.com/prod/Payments:1", "does not parse")]
    [InlineData("prod/app:bad tag", "does not parse")]
    [InlineData("oci:/var/lib/images/app", "not a registry image")]
    public async Task An_unparseable_image_reference_breaks_the_rule_with_the_parser_reason(string image, string reason)
    {
        var json = $$$$$"""
            {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u-bad-image",
             "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
             "namespace":"prod","operation":"CREATE","userInfo":{"username":"x"},
             "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"app","image":"{{{{{image}}}}}"}]}}}}
            """;
        var review = await new AdmissionController([ProdOnly]).ReviewAsync(Encoding.UTF8.GetBytes(json), new FakeVerdicts());
        Assert.False(review.Response!.Allowed);
        Assert.Contains($"image '{image}' (container 'app') breaks rule 'prod-only': its reference", review.Response.Status!.Message, StringComparison.Ordinal);
        Assert.Contains(reason, review.Response.Status.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_response_serialises_as_the_api_server_expects()
    {
        var review = await new AdmissionController([ProdOnly]).ReviewAsync(Body("pod-create.json"), PaymentsVerdicts());
        using var doc = JsonDocument.Parse(AdmissionJson.Serialize(review));
        var root = doc.RootElement;
        Assert.Equal("admission.k8s.io/v1", root.GetProperty("apiVersion").GetString());
        Assert.Equal("AdmissionReview", root.GetProperty("kind").GetString());
        Assert.False(root.TryGetProperty("request", out _));
        var response = root.GetProperty("response");
        Assert.Equal("3c4e1f0a-8f5b-4c1e-9a43-5f8c2e7d9b10", response.GetProperty("uid").GetString());
        Assert.False(response.GetProperty("allowed").GetBoolean());
        Assert.Equal(403, response.GetProperty("status").GetProperty("code").GetInt32());
        Assert.False(response.TryGetProperty("patch", out _));
    }

    [Fact]
    public void Rule_validation_names_fields()
    {
        var errors = AdmissionRuleValidator.Validate(new AdmissionRule
        {
            Name = "",
            AllowedRepositories = ["Prod/*"],
            ObjectSelector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("tier", "Equals", ["x"]), new LabelSelectorRequirement("t", "In", [])] },
        });
        Assert.Equal(["allowedRepositories[0]", "name", "objectSelector.matchExpressions[0].operator", "objectSelector.matchExpressions[1].values"], errors.Fields.Order());
    }
}

using SupplyChainMesh.Policy.Admission;

namespace SupplyChainMesh.Policy.Tests.Admission;

/// <summary>
/// StatefulSet, DaemonSet, ReplicaSet and Job creations as the API server sends them (defaulted fields, status,
/// requestKind/requestResource, userInfo, options, init containers, pod template labels) through the controller:
/// the uid is echoed and the denial names the image, its container and the rule in plain words.
/// </summary>
public class WorkloadReviewTests
{
    private static readonly AdmissionRule ProdOnly = new()
    {
        Name = "prod-only",
        Namespaces = ["prod"],
        AllowedRepositories = ["prod/*", "registry.example.com/prod/*"],
        RequireScanned = true,
        DenyKev = true,
    };

    private static byte[] Body(string file) => File.ReadAllBytes(TestImages.TestData("Admission", file));

    public static TheoryData<string, string, string, string, string, string> Workloads => new()
    {
        { "statefulset-create.json", "e1b7c0a4-5f2d-4d7e-9a11-3c2b8f6d0a51", "registry.example.com/dev/pg-init:0.3", "init container 'init-permissions'", "registry.example.com/dev/pg-init", "registry.example.com/prod/postgres:16.4" },
        { "daemonset-create.json", "5d2c7e90-1a3b-4c6d-8e4f-7a9b0c1d2e3f", "quay.io/prometheus/node-exporter:v1.8.2", "container 'node-exporter'", "quay.io/prometheus/node-exporter", "registry.example.com/prod/busybox:1.36" },
        { "replicaset-create.json", "a0c4e8f2-3b7d-4f1a-9c5e-2d6b8a0f4c1e", "registry.example.com/dev/checkout:1.9.0", "container 'checkout'", "registry.example.com/dev/checkout", "registry.example.com/prod/checkout-migrations:1.9.0" },
        { "job-create.json", "c3d9a1f7-6e2b-4a8c-b0d4-9f1e3a5c7b2d", "ghcr.io/example/ledger-tools:2.0.1", "container 'backfill'", "ghcr.io/example/ledger-tools", "registry.example.com/prod/wait-for:1.0" },
    };

    [Theory]
    [MemberData(nameof(Workloads))]
    public async Task A_workload_with_an_unallowed_image_is_denied_naming_the_image_and_the_rule(string file, string uid, string bad, string container, string repository, string good)
    {
        var verdicts = new FakeVerdicts().Add(bad, FakeVerdicts.Clean()).Add(good, FakeVerdicts.Clean());
        var review = await new AdmissionController([ProdOnly]).ReviewAsync(Body(file), verdicts);
        Assert.Equal("admission.k8s.io/v1", review.ApiVersion);
        var response = review.Response!;
        Assert.Equal(uid, response.Uid);
        Assert.False(response.Allowed);
        Assert.Equal(403, response.Status!.Code);
        Assert.Equal(
            $"Denied by image policy: image '{bad}' ({container}) breaks rule 'prod-only': repository '{repository}' is not allowed here " +
            "(allowed: prod/*, registry.example.com/prod/*).",
            response.Status.Message);
        // Both the init container's and the container's images were checked, each once.
        Assert.Equal(2, verdicts.Lookups.Count);
    }

    [Theory]
    [MemberData(nameof(Workloads))]
    public async Task A_workload_whose_images_all_pass_is_admitted(string file, string uid, string bad, string container, string repository, string good)
    {
        _ = (container, repository);
        var verdicts = new FakeVerdicts().Add(bad, FakeVerdicts.Clean()).Add(good, FakeVerdicts.Clean());
        var response = (await new AdmissionController([ProdOnly with { AllowedRepositories = [] }]).ReviewAsync(Body(file), verdicts)).Response!;
        Assert.Equal(uid, response.Uid);
        Assert.True(response.Allowed, response.Status?.Message);
    }

    [Fact]
    public async Task An_object_selector_matches_the_pod_template_labels_of_a_workload()
    {
        // The StatefulSet's own labels carry no tier; its pod template has tier=database.
        var databases = ProdOnly with { Namespaces = [], ObjectSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "database" } } };
        var verdicts = new FakeVerdicts()
            .Add("registry.example.com/dev/pg-init:0.3", FakeVerdicts.Clean())
            .Add("registry.example.com/prod/postgres:16.4", FakeVerdicts.Clean());
        Assert.False((await new AdmissionController([databases]).ReviewAsync(Body("statefulset-create.json"), verdicts)).Response!.Allowed);

        // And the object's own labels still count (kustomize's label is only on the StatefulSet).
        var flux = databases with { ObjectSelector = new LabelSelector { MatchExpressions = [new LabelSelectorRequirement("kustomize.toolkit.fluxcd.io/name", "Exists", [])] } };
        Assert.False((await new AdmissionController([flux]).ReviewAsync(Body("statefulset-create.json"), verdicts)).Response!.Allowed);

        // A selector neither label set matches leaves the workload to other rules.
        var frontends = databases with { ObjectSelector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["tier"] = "frontend" } } };
        Assert.True((await new AdmissionController([frontends]).ReviewAsync(Body("statefulset-create.json"), verdicts)).Response!.Allowed);
    }
}

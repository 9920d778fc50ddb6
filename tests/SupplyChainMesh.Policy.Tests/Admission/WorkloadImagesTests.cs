using System.Text.Json;
using SupplyChainMesh.Policy.Admission;

namespace SupplyChainMesh.Policy.Tests.Admission;

public class WorkloadImagesTests
{
    private static AdmissionReview Load(string file) =>
        JsonSerializer.Deserialize<AdmissionReview>(File.ReadAllText(TestImages.TestData("Admission", file)), AdmissionJson.Options)!;

    [Fact]
    public void A_pod_yields_init_containers_containers_and_their_paths()
    {
        var review = Load("pod-create.json");
        Assert.True(WorkloadImages.TryExtract("Pod", review.Request!.Object!.Value, out var images, out _));
        Assert.Equal(
            [
                new ContainerImage(ContainerKind.InitContainer, "migrate", "registry.example.com/prod/payments-migrations:2.4.1", "spec.initContainers[0].image"),
                new ContainerImage(ContainerKind.Container, "payments", "registry.example.com/prod/payments@sha256:4a1c4b21597c1b4415bdbecb28a3296c6b5e23ca4f9feeb599860a1dac6a0108", "spec.containers[0].image"),
                new ContainerImage(ContainerKind.Container, "log-shipper", "fluent/fluent-bit:3.1", "spec.containers[1].image"),
            ],
            images);
    }

    [Fact]
    public void A_debug_update_carries_the_ephemeral_container()
    {
        var review = Load("pod-ephemeral-debug.json");
        Assert.Equal("ephemeralcontainers", review.Request!.SubResource);
        Assert.True(WorkloadImages.TryExtract("Pod", review.Request.Object!.Value, out var images, out _));
        var debug = Assert.Single(images, i => i.Kind == ContainerKind.EphemeralContainer);
        Assert.Equal(("debugger-q2lzp", "busybox:1.36", "spec.ephemeralContainers[0].image"), (debug.ContainerName, debug.Image, debug.Path));
    }

    [Fact]
    public void A_deployment_yields_its_pod_template_images()
    {
        var review = Load("deployment-create.json");
        Assert.True(WorkloadImages.TryExtract("Deployment", review.Request!.Object!.Value, out var images, out _));
        Assert.Equal("spec.template.spec.containers[0].image", Assert.Single(images).Path);
    }

    [Fact]
    public void A_cronjob_yields_its_job_template_images()
    {
        var review = Load("cronjob-create.json");
        Assert.True(WorkloadImages.TryExtract("CronJob", review.Request!.Object!.Value, out var images, out _));
        Assert.Equal(
            ["spec.jobTemplate.spec.template.spec.initContainers[0].image", "spec.jobTemplate.spec.template.spec.containers[0].image"],
            images.Select(i => i.Path));
    }

    [Theory]
    [InlineData("StatefulSet")]
    [InlineData("DaemonSet")]
    [InlineData("ReplicaSet")]
    [InlineData("Job")]
    public void Every_workload_kind_reads_spec_template_spec(string kind)
    {
        using var doc = JsonDocument.Parse($$$$$"""
            {"apiVersion":"apps/v1","kind":"{{{{{kind}}}}}","metadata":{"name":"w"},
             "spec":{"template":{"metadata":{"labels":{"app":"w"}},"spec":{"initContainers":[{"name":"i","image":"prod/init:1"}],"containers":[{"name":"c","image":"prod/app:2"}]}}}}
            """);
        Assert.True(WorkloadImages.TryExtract(kind, doc.RootElement, out var images, out _));
        Assert.Equal(["prod/init:1", "prod/app:2"], images.Select(i => i.Image));
    }

    [Theory]
    [InlineData("Pod", """{"metadata":{}}""", "no pod spec")]
    [InlineData("Deployment", """{"spec":{"replicas":1}}""", "no pod spec")]
    [InlineData("Pod", """{"spec":{"containers":{"name":"x"}}}""", "not a list")]
    [InlineData("Pod", """{"spec":{"containers":[{"name":"app"}]}}""", "Container 'app'")]
    [InlineData("Pod", """{"spec":{"containers":[{"name":"app","image":""}]}}""", "has no image")]
    [InlineData("Service", """{"spec":{}}""", "run no pods")]
    public void Malformed_objects_are_reported_not_thrown(string kind, string json, string problem)
    {
        using var doc = JsonDocument.Parse(json);
        Assert.False(WorkloadImages.TryExtract(kind, doc.RootElement, out _, out var reason));
        Assert.Contains(problem, reason, StringComparison.Ordinal);
    }
}

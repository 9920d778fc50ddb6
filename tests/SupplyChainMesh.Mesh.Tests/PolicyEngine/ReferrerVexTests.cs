using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Oci;
using SupplyChainMesh.Oci.Manifests;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.PolicyEngine.Vex;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.PolicyEngine;

/// <summary>
/// VEX attached to an image as an OCI referrer, on the real registry (Distribution 2.8, which has no referrers API, so
/// the <c>sha256-&lt;hex&gt;</c> fallback index is what is read): the real app-mixed image is pushed, an OpenVEX
/// artifact whose <c>subject</c> is the image is pushed with our registry client, and the critical minimist finding is
/// suppressed with the justification in the verdict. A registry that never answers does not hold evaluation up.
/// </summary>
public sealed class ReferrerVexTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private PolicyVerdictTestBed _bed = null!;
    private PolicyEngineHost _host = null!;
    private BusProbe<PolicySatisfied> _satisfied = null!;
    private BusProbe<PolicyViolated> _violated = null!;

    public async Task InitializeAsync()
    {
        _bed = await PolicyVerdictTestBed.StartAsync(new Dictionary<string, string?>
        {
            ["PolicyEngine:ReferrerVex:Timeout"] = "00:00:03",
            // Referrers are looked up only on allowed registries: the mesh's own and the silent one below.
            ["Registry:Url"] = $"http://{BackingServices.Registry}",
            ["Outbound:AllowedHosts:0"] = "127.0.0.1:9177",
        });
        (_host, _satisfied, _violated) = (_bed.Host, _bed.Satisfied, _bed.Violated);
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task An_OpenVEX_referrer_on_the_registry_suppresses_the_critical_finding_with_its_justification()
    {
        var (repository, client, subject) = await PushAppMixedAsync("dev/s3policy-vex-");
        using var _ = client;
        Assert.Empty(await client.ListReferrersAsync(repository, subject.Digest));

        var vex = ReferrerArtifacts.MinimistNotAffected(repository, subject.Digest);
        var artifact = await ReferrerArtifacts.AttachAsync(client, repository, subject, ReferrerVexSource.OpenVexMediaType, vex);

        // Our client finds it through the fallback tag, filtered by artifact type.
        var referrer = Assert.Single(await client.ListReferrersAsync(repository, subject.Digest, ReferrerVexSource.OpenVexMediaType));
        Assert.Equal(artifact, referrer.Digest);
        Assert.Empty(await client.ListReferrersAsync(repository, subject.Digest, ReferrerVexSource.CycloneDxMediaType));

        var by = await PromotedWithMinimistSuppressedAsync(repository, subject.Digest);
        Assert.Contains("vulnerable_code_not_in_execute_path", by["reason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal($"https://example.com/vex/{repository}", by["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_CycloneDX_VEX_referrer_suppresses_the_critical_finding_with_its_justification()
    {
        var (repository, client, subject) = await PushAppMixedAsync("dev/s6policy-cdx-");
        using var _ = client;
        var artifact = await ReferrerArtifacts.AttachAsync(client, repository, subject, ReferrerVexSource.CycloneDxMediaType,
            CycloneDxVex.MinimistNotAffected(BackingServices.Registry, repository, subject.Digest));
        Assert.Equal(artifact, Assert.Single(await client.ListReferrersAsync(repository, subject.Digest, ReferrerVexSource.CycloneDxMediaType)).Digest);

        var by = await PromotedWithMinimistSuppressedAsync(repository, subject.Digest);
        Assert.Equal("VEX not_affected: code_not_reachable (minimist only parses the build script's own arguments)", by["reason"]!.GetValue<string>());
    }

    // app-mixed pushed to a fresh repository on the real registry: the repository, a client for it and the image's manifest.
    private static async Task<(string Repository, RegistryClient Client, BlobDescriptor Subject)> PushAppMixedAsync(string prefix)
    {
        var registry = BackingServices.Registry;
        var repository = $"{prefix}{Guid.NewGuid():N}"[..30];
        await Skopeo.PushAsync("app-mixed", registry, $"{repository}:latest");
        var client = new RegistryClient(registry);
        var subject = await client.HeadManifestAsync(repository, "latest") ?? throw new InvalidOperationException("pushed image not found");
        return (repository, client, subject);
    }

    // Evaluates the pushed app-mixed (its assessment as FeedSync would publish it): with minimist's critical finding
    // suppressed by the referrer VEX it is promoted; returns what suppressed the finding.
    private async Task<System.Text.Json.Nodes.JsonNode> PromotedWithMinimistSuppressedAsync(string repository, string digest)
    {
        var assessment = PolicyTestData.Assessment("app-mixed", repository, "latest", digest) with { Registry = BackingServices.Registry };
        await _satisfied.Bus.Publish(PolicyTestData.Assessed(assessment, _host.Assessments.Add(assessment)));
        var satisfied = await _satisfied.NextAsync(m => m.Image.Digest == digest, Wait);
        Assert.Equal(BackingServices.Registry, satisfied.Image.Registry);
        Assert.Equal($"qa/{repository["dev/".Length..]}", satisfied.TargetRepository);
        var by = await _host.MinimistSuppressionAsync(repository, digest);
        Assert.Equal("vex", by["kind"]!.GetValue<string>());
        return by;
    }

    [Fact]
    public async Task A_VEX_attached_after_the_verdict_is_applied_when_its_push_is_announced_not_when_the_cache_expires()
    {
        var registry = BackingServices.Registry;
        var (repository, client, subject) = await PushAppMixedAsync("dev/s4policy-vex-");
        using var _ = client;

        // Judged without VEX: the critical minimist finding blocks it, and the empty referrer list is cached (10 min).
        var assessment = PolicyTestData.Assessment("app-mixed", repository, "latest", subject.Digest) with { Registry = registry };
        await _violated.Bus.Publish(PolicyTestData.Assessed(assessment, _host.Assessments.Add(assessment)));
        var violated = await _violated.NextAsync(m => m.Image.Digest == subject.Digest, Wait);
        Assert.Contains("CVE-2021-44906", Assert.Single(violated.FailedCriteria).VulnerabilityIds);

        // The VEX is attached; the scan saga announces the artifact push (as it does for every non-image manifest).
        var artifact = await ReferrerArtifacts.AttachAsync(client, repository, subject, ReferrerVexSource.OpenVexMediaType,
            ReferrerArtifacts.MinimistNotAffected(repository, subject.Digest));
        await _satisfied.Bus.Publish(new ArtifactPushed
        {
            Artifact = new ImageIdentity(registry, repository, null, artifact),
            ArtifactType = ReferrerVexSource.OpenVexMediaType,
            SubjectDigest = subject.Digest,
        });
        var satisfied = await _satisfied.NextAsync(m => m.Image.Digest == subject.Digest, Wait);
        Assert.Equal($"qa/{repository["dev/".Length..]}", satisfied.TargetRepository);
    }

    [Fact]
    public async Task A_registry_that_never_answers_costs_a_timeout_and_the_image_is_evaluated_without_referrers()
    {
        // A port in this helper's range that accepts connections and never says a word.
        using var silent = new TcpListener(IPAddress.Loopback, 9177);
        silent.Start();
        var accepted = 0;
        var held = new List<TcpClient>();
        using var stop = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                held.Add(await silent.AcceptTcpClientAsync(stop.Token));
                Interlocked.Increment(ref accepted);
            }
        });

        var digest = PolicyTestData.NewDigest();
        var assessment = PolicyTestData.Assessment("app-mixed", "dev/silent", "latest", digest) with { Registry = "127.0.0.1:9177" };
        await _satisfied.Bus.Publish(PolicyTestData.Assessed(assessment, _host.Assessments.Add(assessment)));
        var violated = await _violated.NextAsync(m => m.Image.Digest == digest, Wait);
        Assert.Contains("CVE-2021-44906", Assert.Single(violated.FailedCriteria).VulnerabilityIds);
        Assert.True(Volatile.Read(ref accepted) >= 1, "the referrers were never asked for");

        await stop.CancelAsync();
        await Task.WhenAny(acceptLoop);
        foreach (var c in held) c.Dispose();
    }
}

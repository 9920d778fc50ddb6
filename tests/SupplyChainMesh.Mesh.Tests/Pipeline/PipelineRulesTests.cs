using System.Net;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Ingest.Timeline;
using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Promoter;
using SupplyChainMesh.Promoter.Apis;
using SupplyChainMesh.Promoter.Notifications;
using SupplyChainMesh.Promoter.Promotion;

namespace SupplyChainMesh.Mesh.Tests.Pipeline;

/// <summary>The pipeline's decisions that need no server: where a promotion goes, which registry faults are retried,
/// which subscriber hosts are allowed, which credentials go where, how an image's state moves.</summary>
public sealed class PipelineRulesTests
{
    private static PolicySatisfied To(string targetRepository) =>
        PipelineHosts.Satisfied(new ImageIdentity("registry:5000", "dev/app", "latest", IngestWebhookTests.RandomDigest()), targetRepository);

    [Theory]
    [InlineData("qa/app", "registry:5000", "qa/app")]
    [InlineData("release.example.com/qa/app", "release.example.com", "qa/app")]
    [InlineData("127.0.0.1:9181/qa/app", "127.0.0.1:9181", "qa/app")]
    [InlineData("localhost/qa/app", "localhost", "qa/app")]
    [InlineData("mirror:5000/team/app", "mirror:5000", "team/app")]
    public void The_target_registry_is_the_one_the_target_names_else_the_source(string target, string registry, string repository)
    {
        Assert.Equal((registry, repository), PromotionTarget.Resolve(To(target), new PromoterOptions()));
    }

    [Fact]
    public void A_configured_route_sends_promotions_of_a_source_registry_elsewhere()
    {
        var options = new PromoterOptions();
        options.Registries.Add(new RegistryRoute { Source = "REGISTRY:5000", Target = "release:5000" });
        Assert.Equal(("release:5000", "qa/app"), PromotionTarget.Resolve(To("qa/app"), options));
        // A host in the policy's target wins over the route.
        Assert.Equal(("other:5000", "qa/app"), PromotionTarget.Resolve(To("other:5000/qa/app"), options));
    }

    [Fact]
    public void Faults_that_may_pass_are_retried_and_the_rest_are_not()
    {
        Assert.True(RegistryFaults.IsTransient(new RegistryTimeoutException("slow")));
        Assert.True(RegistryFaults.IsTransient(new HttpRequestException("refused")));
        Assert.True(RegistryFaults.IsTransient(new RegistryException("busy", HttpStatusCode.ServiceUnavailable, [])));
        Assert.True(RegistryFaults.IsTransient(new RegistryException("slow down", HttpStatusCode.TooManyRequests, [])));
        Assert.False(RegistryFaults.IsTransient(new RegistryNotFoundException("MANIFEST_UNKNOWN")));
        Assert.False(RegistryFaults.IsTransient(new RegistryAuthenticationException("DENIED")));
        Assert.False(RegistryFaults.IsTransient(new RegistryException("bad", HttpStatusCode.BadRequest, [])));
        Assert.False(RegistryFaults.IsTransient(new ArgumentException("'a b' is not a valid tag.")));
        Assert.False(RegistryFaults.IsRegistryFault(new InvalidOperationException("a bug")));
    }

    [Theory]
    [InlineData("http://hooks.example.com/x", true)]
    [InlineData("https://hooks.example.com:8443/x", false)]
    [InlineData("http://127.0.0.1:9185/hooks/", true)]
    [InlineData("http://127.0.0.1:9186/hooks/", false)]
    [InlineData("http://169.254.169.254/latest/", false)]
    public void Only_allowed_hosts_receive_notifications(string url, bool allowed)
    {
        var options = new NotificationOptions();
        options.AllowedHosts.Add("hooks.example.com");
        options.AllowedHosts.Add("127.0.0.1:9185");
        Assert.Equal(allowed, options.IsAllowed(new Uri(url)));
    }

    [Fact]
    public void The_signature_is_the_hmac_of_the_exact_body()
    {
        var body = "{\"id\":\"1\"}"u8.ToArray();
        var signature = WebhookSignature.Sign("0123456789abcdef", body);
        Assert.StartsWith("sha256=", signature, StringComparison.Ordinal);
        Assert.True(WebhookSignature.Verify("0123456789abcdef", body, signature));
        Assert.False(WebhookSignature.Verify("0123456789abcdeX", body, signature));
        Assert.False(WebhookSignature.Verify("0123456789abcdef", "{\"id\":\"2\"}"u8, signature));
    }

    [Fact]
    public void Robot_credentials_go_only_to_the_configured_registries()
    {
        var settings = new RegistrySettings { Url = "http://registry:5000", Username = "robot$promoter", Password = "p" };
        settings.TrustedHosts.Add("release:5000");
        Assert.Equal("robot$promoter", settings.OptionsFor("registry:5000").Credentials("registry:5000")?.Username);
        Assert.Equal("robot$promoter", settings.OptionsFor("release:5000").Credentials("release:5000")?.Username);
        Assert.Null(settings.OptionsFor("evil.example.com").Credentials("evil.example.com"));
        Assert.True(settings.OptionsFor("registry:5000").PlainHttp);
        Assert.Null(settings.OptionsFor("release:5000").PlainHttp);
    }

    [Fact]
    public void An_image_state_only_moves_forward()
    {
        var status = new ImageStatus { Registry = "r", Repository = "dev/app", Digest = "sha256:x" };
        ImageStates.Advance(status, ImageStates.Assessed);
        ImageStates.Advance(status, ImageStates.Scanning);
        Assert.Equal(ImageStates.Assessed, status.State);
        ImageStates.Advance(status, ImageStates.Promoted);
        ImageStates.Advance(status, ImageStates.PromotionFailed);
        Assert.Equal(ImageStates.Promoted, status.State);
    }
}

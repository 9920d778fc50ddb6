using SupplyChainMesh.Oci.Registry;
using SupplyChainMesh.Oci.Tests.Infrastructure;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Oci.Tests.Registry;

/// <summary>A real docker-registry with htpasswd (bcrypt) auth: Basic challenge, right and wrong credentials.</summary>
public class BasicAuthRegistryTests
{
    [Fact]
    public async Task Basic_auth_challenge_is_answered_with_credentials_and_refused_without()
    {
        await using var registry = await DistributionRegistry.StartAsync(TestPorts.Take(), new() { HtpasswdLine = await Tools.HtpasswdLineAsync("alice", "s3cret-pw") });
        await Tools.SkopeoPushAsync("bookworm-minbase", registry.Host, "dev/app:latest", credentials: "alice:s3cret-pw");

        using var anonymous = new RegistryClient(registry.Host);
        var challenge = await anonymous.PingAsync();
        Assert.NotNull(challenge);
        Assert.True(challenge.IsBasic);
        Assert.Equal("scm-test", challenge.Parameters["realm"]);
        var denied = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => anonymous.GetManifestAsync("dev/app", "latest"));
        Assert.True(denied.HasCode(RegistryErrorCodes.Unauthorized), denied.Message);

        using var alice = new RegistryClient(registry.Host, new RegistryClientOptions { Credentials = _ => new RegistryCredentials("alice", "s3cret-pw") });
        var manifest = await alice.GetManifestAsync("dev/app", "latest");
        Assert.Equal(TestImages.ManifestDigest("bookworm-minbase"), manifest.Digest);
        Assert.True(await alice.BlobExistsAsync("dev/app", manifest.Manifest!.Config.Digest));
        Assert.Contains("latest", await alice.ListTagsAsync("dev/app"));

        using var wrong = new RegistryClient(registry.Host, new RegistryClientOptions { Credentials = _ => new RegistryCredentials("alice", "nope") });
        var refused = await Assert.ThrowsAsync<RegistryAuthenticationException>(() => wrong.GetManifestAsync("dev/app", "latest"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
    }
}

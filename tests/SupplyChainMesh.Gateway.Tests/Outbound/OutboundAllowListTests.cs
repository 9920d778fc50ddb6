using Microsoft.Extensions.Configuration;
using SupplyChainMesh.ServiceDefaults;

namespace SupplyChainMesh.Gateway.Tests.Outbound;

public sealed class OutboundAllowListTests
{
    private static readonly OutboundAllowList List = new(["registry.example.com", "feeds.example.org:8443", "*.mirror.example.net", "127.0.0.1:5050"]);

    [Theory]
    [InlineData("https://registry.example.com/v2/")]
    [InlineData("https://feeds.example.org:8443/osv.zip")]
    [InlineData("https://eu.mirror.example.net/nvd.json")]
    [InlineData("http://127.0.0.1:5050/v2/")]
    public void Listed_hosts_are_allowed(string url) => Assert.Null(List.RefusalFor(new Uri(url)));

    [Theory]
    [InlineData("https://registry.example.com:2375/")] // another port on an allowed machine
    [InlineData("https://feeds.example.org/osv.zip")]
    [InlineData("https://evil.example.com/")]
    [InlineData("http://127.0.0.1:8080/")] // loopback, not the listed port
    [InlineData("http://localhost:5050/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]:5050/")]
    [InlineData("http://[fe80::1]/")]
    [InlineData("http://0.0.0.0:5050/")]
    [InlineData("http://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("file:///etc/passwd")]
    public void Everything_else_is_refused(string url) => Assert.NotNull(List.RefusalFor(new Uri(url)));

    [Fact]
    public void A_wildcard_never_opens_loopback_link_local_or_metadata_addresses()
    {
        var any = new OutboundAllowList(["*"]);
        Assert.Null(any.RefusalFor(new Uri("https://ghcr.io/v2/")));
        Assert.Contains("listed explicitly", any.RefusalFor(new Uri("http://169.254.169.254/")), StringComparison.Ordinal);
        Assert.NotNull(any.RefusalFor(new Uri("http://127.0.0.1/")));
        Assert.NotNull(any.RefusalFor(new Uri("http://[::ffff:127.0.0.1]/")));
        Assert.NotNull(any.RefusalForRegistry("localhost:5000"));
    }

    [Fact]
    public void Registry_hosts_are_checked_as_image_references_name_them()
    {
        Assert.Null(List.RefusalForRegistry("registry.example.com"));
        Assert.Null(List.RefusalForRegistry("127.0.0.1:5050"));
        Assert.NotNull(List.RefusalForRegistry("127.0.0.1:5051"));
        Assert.NotNull(List.RefusalForRegistry("169.254.169.254"));
        Assert.NotNull(List.RefusalForRegistry("user@registry.example.com"));
        Assert.NotNull(List.RefusalForRegistry("registry.example.com/../x"));
        Assert.NotNull(List.RefusalForRegistry(""));
    }

    [Fact]
    public void The_service_list_adds_the_configured_registry_and_its_trusted_hosts()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Outbound:AllowedHosts:0"] = "feeds.example.org",
            ["Registry:Url"] = "http://127.0.0.1:9202",
            ["Registry:TrustedHosts:0"] = "release.example.com:5000",
        }).Build();
        var list = OutboundAllowList.FromConfiguration(configuration);
        Assert.Null(list.RefusalForRegistry("127.0.0.1:9202"));
        Assert.Null(list.RefusalForRegistry("release.example.com:5000"));
        Assert.Null(list.RefusalFor(new Uri("https://feeds.example.org/x")));
        Assert.NotNull(list.RefusalForRegistry("127.0.0.1:5050"));
    }
}

using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Packages;
using static SupplyChainMesh.Analysis.Tests.Matching.SampleIndex;

namespace SupplyChainMesh.Analysis.Tests.Matching;

public class EcosystemKeysTests
{
    [Theory]
    [InlineData("debian-12", "Debian:12")]
    [InlineData("debian-12.15", "Debian:12")]
    [InlineData("ubuntu-22.04", "Ubuntu:22.04")]
    [InlineData("debian", null)]
    [InlineData("", null)]
    public void Debian_release_from_the_distro_qualifier(string distro, string? expected) =>
        Assert.Equal(expected, EcosystemKeys.OsvEcosystemOf(Deb("libc6", "1", "glibc", distro: distro)));

    [Theory]
    [InlineData("alpine-3.18", "Alpine:v3.18")]
    [InlineData("alpine-3.18.4", "Alpine:v3.18")]
    [InlineData("alpine-edge", "Alpine:edge")]
    public void Alpine_release_is_major_minor(string distro, string expected)
    {
        var apk = Deb("musl", "1.2.4-r2", "musl", distro: distro) with { Type = PurlType.Apk, Namespace = "alpine" };
        Assert.Equal(expected, EcosystemKeys.OsvEcosystemOf(apk));
    }

    [Theory]
    [InlineData(PurlType.Npm, "@babel", "core", "@babel/core")]
    [InlineData(PurlType.Npm, "babel", "core", "@babel/core")]
    [InlineData(PurlType.Npm, null, "lodash", "lodash")]
    [InlineData(PurlType.Maven, "org.apache.logging.log4j", "log4j-core", "org.apache.logging.log4j:log4j-core")]
    [InlineData(PurlType.Golang, "github.com/gin-gonic", "gin", "github.com/gin-gonic/gin")]
    [InlineData(PurlType.Golang, null, "stdlib", "stdlib")]
    [InlineData(PurlType.Composer, "laravel", "framework", "laravel/framework")]
    [InlineData(PurlType.NuGet, null, "Newtonsoft.Json", "Newtonsoft.Json")]
    public void Feed_names_of_language_packages(string type, string? ns, string name, string expected) =>
        Assert.Equal(expected, EcosystemKeys.FeedNameOf(Language(type, ns, name, "1.0.0")));

    [Fact]
    public void Os_packages_are_named_by_their_source_package()
    {
        Assert.Equal("glibc", EcosystemKeys.FeedNameOf(Deb("libc6", "2.36-9", "glibc")));
        Assert.Equal("bash", EcosystemKeys.FeedNameOf(Deb("bash", "5.2.15-2+b13")));
    }

    [Fact]
    public void Debian_matches_on_the_source_version()
    {
        Assert.Equal("5.2.15-2", EcosystemKeys.VersionToMatch(Deb("bash", "5.2.15-2+b13", "bash", "5.2.15-2")));
        Assert.Equal("5.2.15-2+b13", EcosystemKeys.VersionToMatch(Deb("bash", "5.2.15-2+b13")));
    }

    [Theory]
    [InlineData("Django", "django")]
    [InlineData("zope.interface", "zope-interface")]
    [InlineData("Foo__Bar-.baz", "foo-bar-baz")]
    public void Pep503(string name, string expected) => Assert.Equal(expected, EcosystemKeys.Pep503(name));

    [Fact]
    public void Keys_are_case_insensitive_except_for_go()
    {
        Assert.Equal(EcosystemKeys.Key("PyPI", "Requests"), EcosystemKeys.Key("pypi", "requests"));
        Assert.Equal(EcosystemKeys.Key("NuGet", "Newtonsoft.Json"), EcosystemKeys.Key("NuGet", "newtonsoft.json"));
        Assert.NotEqual(EcosystemKeys.Key("Go", "github.com/BurntSushi/toml"), EcosystemKeys.Key("Go", "github.com/burntsushi/toml"));
    }

    [Theory]
    [InlineData("go1.20.0", "1.20.0")]
    [InlineData("v0.7.0", "0.7.0")]
    [InlineData("1.2.3", "1.2.3")]
    public void Go_versions_lose_their_prefix(string version, string expected) =>
        Assert.Equal(expected, EcosystemKeys.VersionToMatch(Language(PurlType.Golang, "golang.org/x", "net", version)));
}

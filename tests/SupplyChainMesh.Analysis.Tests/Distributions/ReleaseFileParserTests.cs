using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Distributions;

/// <summary>The release files of real distributions in ../shared/fixtures/os-release (claircore's and Trivy's test data).</summary>
public sealed class ReleaseFileParserTests
{
    private static string Fixture(string relative) => Path.Combine(RepositoryLayout.Fixtures, "os-release", relative);

    private static Distribution? ParseFixture(string relative, string layerPath) =>
        ReleaseFileParser.Parse(layerPath, File.ReadAllText(Fixture(relative)));

    public static TheoryData<string> DebianAndUbuntuDirectories()
    {
        var data = new TheoryData<string>();
        foreach (var family in new[] { "debian", "distroless", "ubuntu" })
        {
            foreach (var dir in Directory.GetDirectories(Fixture(family)).Order(StringComparer.Ordinal))
            {
                if (File.Exists(Path.Combine(dir, "etc", "os-release"))) data.Add($"{family}/{Path.GetFileName(dir)}");
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DebianAndUbuntuDirectories))]
    public void Os_release_of_debian_and_ubuntu_names_the_release_of_its_directory(string dir)
    {
        var distribution = ParseFixture($"{dir}/etc/os-release", "etc/os-release");

        Assert.NotNull(distribution);
        var release = dir.Split('/')[1];
        // Upstream's "ubuntu/11" directory holds a Debian 11 os-release.
        var expectedId = dir.StartsWith("ubuntu/", StringComparison.Ordinal) && release != "11" ? "ubuntu" : "debian";
        Assert.Equal(expectedId, distribution.Id);
        Assert.Equal(release, distribution.VersionId);
        Assert.Equal($"{expectedId}-{release}", distribution.PurlQualifier);
    }

    [Theory]
    [InlineData("3.3"), InlineData("3.9"), InlineData("3.10"), InlineData("3.13"), InlineData("3.18")]
    public void Os_release_of_alpine_gives_the_full_version_and_a_major_minor_qualifier(string release)
    {
        var fromOsRelease = ParseFixture($"alpine/{release}/etc/os-release", "etc/os-release");

        Assert.NotNull(fromOsRelease);
        Assert.Equal("alpine", fromOsRelease.Id);
        Assert.StartsWith(release + ".", fromOsRelease.VersionId, StringComparison.Ordinal);
        Assert.Equal($"alpine-{release}", fromOsRelease.PurlQualifier);
    }

    [Theory]
    [InlineData("ubuntu/10.04", "10.04", "lucid")]
    [InlineData("ubuntu/18.04", "18.04", "bionic")]
    [InlineData("ubuntu/22.04", "22.04", "jammy")]
    public void Lsb_release_names_ubuntu(string dir, string version, string codename)
    {
        var distribution = ParseFixture($"{dir}/etc/lsb-release", "etc/lsb-release");
        Assert.Equal(new Distribution("ubuntu", version, codename, distribution?.PrettyName), distribution);
    }

    [Theory]
    [InlineData("rhel-family/7/etc/os-release", "etc/os-release", "rhel", "7.7")]
    [InlineData("rhel-family/8/etc/redhat-release", "etc/redhat-release", "rhel", "8.1")]
    [InlineData("rhel-family/9/etc/redhat-release", "etc/redhat-release", "rhel", "9.0")]
    [InlineData("rhel-family/oracle-8/etc/oracle-release", "etc/oracle-release", "ol", "8.9")]
    [InlineData("trivy-redhat-release/centos/centos-release", "etc/centos-release", "centos", "7")]
    [InlineData("trivy-redhat-release/alma/almalinux-release", "etc/almalinux-release", "almalinux", "8.4")]
    [InlineData("trivy-redhat-release/rocky/rocky-release", "etc/rocky-release", "rocky", "8.4")]
    [InlineData("trivy-redhat-release/fedora_29/fedora-release", "etc/fedora-release", "fedora", "29")]
    [InlineData("trivy-os-release/centos", "etc/os-release", "centos", "7")]
    [InlineData("trivy-os-release/bottlerocket", "usr/lib/os-release", "bottlerocket", "1.34.0")]
    [InlineData("trivy-os-release/opensuseleap-42.3", "etc/os-release", "opensuse", "42.3")]
    [InlineData("trivy-debian-version/debian_9/etc/debian_version", "etc/debian_version", "debian", "9")]
    public void Red_hat_family_and_other_release_files(string fixture, string layerPath, string id, string version)
    {
        var distribution = ParseFixture(fixture, layerPath);
        Assert.NotNull(distribution);
        Assert.Equal((id, version), (distribution.Id, distribution.VersionId));
    }

    [Fact]
    public void Debian_version_of_unstable_names_the_codename_without_a_version()
    {
        var distribution = ParseFixture("trivy-debian-version/debian_sid/etc/debian_version", "etc/debian_version");
        Assert.Equal(new Distribution("debian", null, "buster"), distribution);
        Assert.Equal("debian", distribution!.PurlQualifier);
    }

    [Fact]
    public void The_oracle_release_file_outranks_the_red_hat_release_beside_it()
    {
        Assert.True(DistributionRank.Of("etc/oracle-release") < DistributionRank.Of("etc/redhat-release"));
        Assert.True(DistributionRank.Of("etc/os-release") < DistributionRank.Of("etc/debian_version"));
    }

    [Fact]
    public void Quoting_and_escapes_follow_os_release_rules()
    {
        var distribution = ReleaseFileParser.ParseOsRelease("# comment\nID='weird'\nVERSION_ID=\"1\\\"2\"\nPRETTY_NAME=\"A \\\\ B\"\n");
        Assert.Equal(new Distribution("weird", "1\"2", null, "A \\ B"), distribution);
        Assert.Null(ReleaseFileParser.ParseOsRelease("NAME=nothing\n"));
    }
}

using System.Text;
using SupplyChainMesh.Analysis.Debian;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Debian;

/// <summary>
/// The parser against dpkg-query itself: each fixture's <c>*.dpkg-query.tsv</c> was printed by dpkg-query 1.21.22
/// (Package, Version, source:Package, source:Version, Architecture, db:Status-Abbrev).
/// </summary>
public sealed class DpkgStatusParserTests
{
    public static TheoryData<string, string> Oracles() => new()
    {
        { "dpkg/ubuntu-18.04/dpkg", "dpkg/ubuntu-18.04/dpkg.dpkg-query.tsv" },
        { "dpkg/ubuntu-18.04-texlive/texlive.status", "dpkg/ubuntu-18.04-texlive/texlive.status.dpkg-query.tsv" },
        { "dpkg/ubuntu-24.04-deinstall/deinstall", "dpkg/ubuntu-24.04-deinstall/deinstall.dpkg-query.tsv" },
    };

    [Theory]
    [MemberData(nameof(Oracles))]
    public void Installed_packages_equal_dpkg_query_ii_rows(string status, string oracle)
    {
        var expected = File.ReadAllLines(Path.Combine(RepositoryLayout.Fixtures, oracle))
            .Select(l => l.Split('\t'))
            .Where(f => f[5].Trim() == "ii")
            .Select(f => string.Join('\t', f[..5]))
            .Order(StringComparer.Ordinal)
            .ToArray();
        var problems = new List<string>();

        var entries = DpkgStatusParser.ParseInstalled(File.ReadAllBytes(Path.Combine(RepositoryLayout.Fixtures, status)), problems);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, entries
            .Select(e => string.Join('\t', e.Name, e.Version, e.SourceName, e.SourceVersion, e.Architecture))
            .Order(StringComparer.Ordinal));
        Assert.Empty(problems);
    }

    [Fact]
    public void Every_stanza_is_parsed_with_its_status_like_dpkg_query_lists_it()
    {
        var oracle = File.ReadAllLines(Path.Combine(RepositoryLayout.Fixtures, "dpkg/ubuntu-24.04-deinstall/deinstall.dpkg-query.tsv"));
        var all = new List<DpkgStatusEntry>();

        DpkgStatusParser.Parse(File.ReadAllBytes(Path.Combine(RepositoryLayout.Fixtures, "dpkg/ubuntu-24.04-deinstall/deinstall")), all);

        Assert.Equal(oracle.Length, all.Count);
        Assert.Equal(oracle.Count(l => l.EndsWith("rc ", StringComparison.Ordinal) || l.EndsWith("rc", StringComparison.Ordinal)),
            all.Count(e => !e.IsInstalled));
    }

    [Theory]
    [InlineData("dpkg/distroless-debian/var/lib/dpkg/status.d/dash", "dash", "0.5.8-2.4", "amd64")]
    [InlineData("dpkg/distroless-debian/var/lib/dpkg/status.d/netbase", "netbase", "5.4", "all")]
    [InlineData("dpkg/distroless-debian11-arm64/var/lib/dpkg/status.d/libsqlite3-0", "libsqlite3-0", "3.34.1-3", "arm64")]
    public void Distroless_stanzas_without_status_are_installed(string file, string name, string version, string arch)
    {
        var entry = Assert.Single(DpkgStatusParser.ParseInstalled(File.ReadAllBytes(Path.Combine(RepositoryLayout.Fixtures, file))));
        Assert.Equal((name, version, arch), (entry.Name, entry.Version, entry.Architecture));
    }

    [Fact]
    public void Source_with_a_version_and_crlf_lines_and_malformed_stanzas()
    {
        const string status =
            "Package: libc6\r\nStatus: install ok installed\r\nSource: glibc (2.36-9)\r\nVersion: 2.36-9+b1\r\n" +
            "Description: x\r\n more\r\n\r\n" +
            "Status: install ok installed\nVersion: 1\n\n" +
            "Package: noversion\nStatus: install ok installed\n\n" +
            "garbage line\n" +
            "Package: held\nStatus: hold ok installed\nVersion: 3\n\n" +
            "Package: half\nStatus: install reinstreq half-installed\nVersion: 4\n";
        var problems = new List<string>();

        var entries = DpkgStatusParser.ParseInstalled(Encoding.UTF8.GetBytes(status), problems);

        Assert.Equal(["libc6 2.36-9+b1 glibc 2.36-9", "held 3 held 3"],
            entries.Select(e => $"{e.Name} {e.Version} {e.SourceName} {e.SourceVersion}"));
        Assert.Equal(3, problems.Count);
    }
}

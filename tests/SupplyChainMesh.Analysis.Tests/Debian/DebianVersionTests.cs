using CsCheck;
using SupplyChainMesh.Analysis.Debian;
using SupplyChainMesh.Analysis.Tests.Versions;
using SupplyChainMesh.Analysis.Versions;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Debian;

public class DebianVersionTests
{
    private static readonly DebianVersionScheme Scheme = DebianVersionScheme.Instance;

    // Facts from dpkg's lib/dpkg/t/t-version.c (test_version_compare and test_version_parse).
    [Theory]
    [InlineData("1:0", "2:0", -1)]
    [InlineData("0:1-1", "0:2-1", -1)]
    [InlineData("0:1-1", "0:1-2", -1)]
    [InlineData("0:0-0", "0:0-0", 0)]
    [InlineData("0:0-00", "0:00-0", 0)]
    [InlineData("1:2-3", "1:2-3", 0)]
    [InlineData("0:0-0", "1:0-0", -1)]
    [InlineData("1:0-0", "0:0-0", 1)]
    [InlineData("0:a-0", "0:b-0", -1)]
    [InlineData("0:b-0", "0:a-0", 1)]
    [InlineData("0:0-a", "0:0-b", -1)]
    [InlineData("0:0-b", "0:0-a", 1)]
    [InlineData("0", "0:0", 0)]
    [InlineData("0:0-", "0", 0)]
    [InlineData("0:0-0", "0", 0)]
    [InlineData("0:0.0-0.0", "0.0-0.0", 0)]
    [InlineData("1:0", "0:9", 1)]
    [InlineData("5:1", "4:99", 1)]
    // deb-version(7): "~~" < "~~a" < "~" < "" < "a"
    [InlineData("1.0~~", "1.0~~a", -1)]
    [InlineData("1.0~~a", "1.0~", -1)]
    [InlineData("1.0~", "1.0", -1)]
    [InlineData("1.0", "1.0a", -1)]
    [InlineData("1.0~rc1-1", "1.0-1", -1)]
    [InlineData("1.0+b1", "1.0", 1)]
    [InlineData("1.0.1", "1.0+dfsg", 1)] // "." sorts after "+" (both non-letters, by ASCII)
    [InlineData("1.10", "1.9", 1)]
    [InlineData("1.001", "1.1", 0)]
    [InlineData("2.36-9+deb12u4", "2.36-9+deb12u10", -1)]
    [InlineData("1:2.38.1-5+deb12u3", "2.39", 1)]
    [InlineData("1a", "1a0", 0)]
    public void Orders_as_dpkg(string left, string right, int expected)
    {
        Assert.Equal(expected, Math.Sign(Scheme.Compare(left, right)));
        Assert.Equal(-expected, Math.Sign(Scheme.Compare(right, left)));
        Assert.Equal(expected, Math.Sign(DebianVersion.Parse(left).CompareTo(DebianVersion.Parse(right))));
    }

    [Theory]
    [InlineData("0:0-0-0", 0, "0-0", "0")]
    [InlineData("0:0-0-0-0", 0, "0-0-0", "0")]
    [InlineData("0:0:0-0", 0, "0:0", "0")]
    [InlineData("0:0:0:0-0", 0, "0:0:0", "0")]
    [InlineData("0:0:0-0-0", 0, "0:0-0", "0")]
    [InlineData("0:0-0:0-0", 0, "0-0:0", "0")]
    [InlineData("0:09azAZ.-+~:-0", 0, "09azAZ.-+~:", "0")]
    [InlineData("0:0-azAZ09.+~", 0, "0", "azAZ09.+~")]
    [InlineData("  \t0:0-1", 0, "0", "1")]
    [InlineData("0:0-1\t  ", 0, "0", "1")]
    [InlineData("\t  0:0-1  \t", 0, "0", "1")]
    [InlineData("1:0", 1, "0", "")]
    [InlineData("5:1", 5, "1", "")]
    public void Splits_epoch_upstream_and_revision_as_dpkg(string text, int epoch, string upstream, string revision)
    {
        var v = DebianVersion.Parse(text);
        Assert.Equal(epoch, v.Epoch);
        Assert.Equal(upstream, v.Upstream.ToString());
        Assert.Equal(revision, v.Revision.ToString());
        Assert.True(Scheme.IsValid(text));
    }

    [Theory]
    [InlineData("", "version string is empty")]
    [InlineData("  ", "version string is empty")]
    [InlineData("0:", "nothing after colon in version number")]
    [InlineData("0:0 0-1", "version string has embedded spaces")]
    [InlineData("-1:0-1", "epoch in version is negative")]
    [InlineData("999999999999999999999999:0-1", "epoch in version is too big")]
    [InlineData("a:0-0", "epoch in version is not number")]
    [InlineData("A:0-0", "epoch in version is not number")]
    [InlineData("-0", "version number is empty")]
    [InlineData("0:-0", "version number is empty")]
    public void Rejects_what_dpkg_rejects_with_a_typed_error(string text, string reason)
    {
        var ex = Assert.Throws<VersionFormatException>(() => DebianVersion.Parse(text));
        Assert.Equal(reason, ex.Reason);
        Assert.Equal("dpkg", ex.Scheme);
        Assert.False(Scheme.IsValid(text));
        Assert.Throws<VersionFormatException>(() => Scheme.Compare(text, "1.0"));
        Assert.False(DebianVersion.TryParse(text, out _));
    }

    [Fact]
    public void Warnings_of_dpkg_still_order_but_are_not_valid()
    {
        var warned = new List<string> { "0:abc3-0", "0:0-0:0" };
        warned.AddRange("!#@$%&/|\\<>()[]{};,_=*^'".Select(c => $"0:0{c}-0"));
        warned.AddRange("!#@$%&/|\\<>()[]{}:;,_=*^'".Select(c => $"0:0-0{c}"));
        foreach (var text in warned)
        {
            Assert.False(Scheme.IsValid(text), text);
            Assert.False(DebianVersion.Parse(text).IsStrict, text);
            Assert.Equal(0, Scheme.Compare(text, text));
        }
    }

    [Fact]
    public void Equal_versions_hash_alike()
    {
        string[][] groups = [["1.0", "1.00", "01.0"], ["1.0-0", "1.0", "0:1.0-"], ["1a", "1a0", "1a00"]];
        foreach (var group in groups)
        {
            var hashes = group.Select(v => DebianVersion.Parse(v).GetHashCode()).Distinct();
            Assert.Single(hashes);
            Assert.All(group, v => Assert.Equal(DebianVersion.Parse(group[0]), DebianVersion.Parse(v)));
        }
    }

    internal static readonly Gen<string> Versions =
        Gen.Select(
            Gen.Int[0, 3].Select(e => e == 0 ? "" : $"{e}:"),
            Gen.Char["0123456789"],
            Gen.String[Gen.Char["0019abzAZ.+~"], 0, 8],
            Gen.Int[0, 2],
            Gen.String[Gen.Char["0019abz.+~"], 1, 6])
        .Select((epoch, first, rest, hasRevision, revision) =>
            epoch + first + rest + (hasRevision == 0 ? "" : "-" + revision));

    [Fact]
    public void Ordering_laws_hold_on_generated_versions() => OrderingProperties.Hold(Scheme, Versions);

    [Fact]
    public void Parsed_and_string_comparisons_agree()
    {
        Versions.Select(Versions).Sample((a, b) =>
            Math.Sign(Scheme.Compare(a, b)) == Math.Sign(DebianVersion.Parse(a).CompareTo(DebianVersion.Parse(b))));
    }

    /// <summary>
    /// The real dpkg orders every version of the fixture status files (real Ubuntu packages) and generated ones exactly
    /// as we do. dpkg is part of every Debian machine, CI included; the test fails if it is missing.
    /// </summary>
    [Fact]
    public void Agrees_with_dpkg_compare_versions()
    {
        var dpkg = ExternalTool.Require("dpkg", "dpkg");
        var fixtureVersions = Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Fixtures, "dpkg"), "*.dpkg-query.tsv", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split('\t'))
            .SelectMany(f => new[] { f[1], f[3] })
            .Where(v => v.Length > 0)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(fixtureVersions.Count > 200, $"expected the fixture status files to hold many versions, found {fixtureVersions.Count}");

        var random = new Random(20261129);
        var generated = Versions.Array[200].Single();
        var pool = fixtureVersions.Concat(generated).Distinct(StringComparer.Ordinal).ToList();
        var pairs = new List<(string A, string B)>();
        var sorted = pool.Order(Comparer<string>.Create(Scheme.Compare)).ToList();
        for (var i = 1; i < sorted.Count; i++) pairs.Add((sorted[i - 1], sorted[i]));
        for (var i = 0; i < 300; i++) pairs.Add((pool[random.Next(pool.Count)], pool[random.Next(pool.Count)]));

        var script = """
            while IFS=' ' read -r a b; do
              if "$0" --compare-versions "$a" lt "$b" 2>/dev/null; then echo -1;
              elif "$0" --compare-versions "$a" eq "$b" 2>/dev/null; then echo 0;
              else echo 1; fi
            done
            """;
        var input = string.Concat(pairs.Select(p => $"{p.A} {p.B}\n"));
        var answers = ExternalTool.Run("/bin/sh", ["-c", script, dpkg], input)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(pairs.Count, answers.Length);
        var disagreements = pairs.Zip(answers)
            .Where(x => Math.Sign(Scheme.Compare(x.First.A, x.First.B)) != int.Parse(x.Second, System.Globalization.CultureInfo.InvariantCulture))
            .Select(x => $"{x.First.A} vs {x.First.B}: dpkg {x.Second}")
            .ToList();
        Assert.Empty(disagreements);
    }
}

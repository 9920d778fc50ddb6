using System.Globalization;
using CsCheck;
using SupplyChainMesh.Analysis.Rpm;
using SupplyChainMesh.Analysis.Tests.Versions;
using SupplyChainMesh.Analysis.Versions;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Rpm;

public class RpmVersionTests
{
    private static readonly RpmVersionScheme Scheme = RpmVersionScheme.Instance;

    // rpm's tests/rpmvercmp.at (RPMVERCMP(a, b, result)).
    [Theory]
    [InlineData("1.0", "1.0", 0)]
    [InlineData("1.0", "2.0", -1)]
    [InlineData("2.0", "1.0", 1)]
    [InlineData("2.0.1", "2.0.1", 0)]
    [InlineData("2.0", "2.0.1", -1)]
    [InlineData("2.0.1", "2.0", 1)]
    [InlineData("2.0.1a", "2.0.1a", 0)]
    [InlineData("2.0.1a", "2.0.1", 1)]
    [InlineData("2.0.1", "2.0.1a", -1)]
    [InlineData("5.5p1", "5.5p1", 0)]
    [InlineData("5.5p1", "5.5p2", -1)]
    [InlineData("5.5p2", "5.5p1", 1)]
    [InlineData("5.5p10", "5.5p10", 0)]
    [InlineData("5.5p1", "5.5p10", -1)]
    [InlineData("5.5p10", "5.5p1", 1)]
    [InlineData("10xyz", "10.1xyz", -1)]
    [InlineData("10.1xyz", "10xyz", 1)]
    [InlineData("xyz10", "xyz10", 0)]
    [InlineData("xyz10", "xyz10.1", -1)]
    [InlineData("xyz10.1", "xyz10", 1)]
    [InlineData("xyz.4", "xyz.4", 0)]
    [InlineData("xyz.4", "8", -1)]
    [InlineData("8", "xyz.4", 1)]
    [InlineData("xyz.4", "2", -1)]
    [InlineData("2", "xyz.4", 1)]
    [InlineData("5.5p2", "5.6p1", -1)]
    [InlineData("5.6p1", "5.5p2", 1)]
    [InlineData("5.6p1", "6.5p1", -1)]
    [InlineData("6.5p1", "5.6p1", 1)]
    [InlineData("6.0.rc1", "6.0", 1)]
    [InlineData("6.0", "6.0.rc1", -1)]
    [InlineData("10b2", "10a1", 1)]
    [InlineData("10a2", "10b2", -1)]
    [InlineData("1.0aa", "1.0aa", 0)]
    [InlineData("1.0a", "1.0aa", -1)]
    [InlineData("1.0aa", "1.0a", 1)]
    [InlineData("10.0001", "10.0001", 0)]
    [InlineData("10.0001", "10.1", 0)]
    [InlineData("10.1", "10.0001", 0)]
    [InlineData("10.0001", "10.0039", -1)]
    [InlineData("10.0039", "10.0001", 1)]
    [InlineData("4.999.9", "5.0", -1)]
    [InlineData("5.0", "4.999.9", 1)]
    [InlineData("20101121", "20101121", 0)]
    [InlineData("20101121", "20101122", -1)]
    [InlineData("20101122", "20101121", 1)]
    [InlineData("2_0", "2_0", 0)]
    [InlineData("2.0", "2_0", 0)]
    [InlineData("2_0", "2.0", 0)]
    [InlineData("a", "a", 0)]
    [InlineData("a+", "a+", 0)]
    [InlineData("a+", "a_", 0)]
    [InlineData("a_", "a+", 0)]
    [InlineData("+a", "+a", 0)]
    [InlineData("+a", "_a", 0)]
    [InlineData("_a", "+a", 0)]
    [InlineData("+_", "+_", 0)]
    [InlineData("_+", "+_", 0)]
    [InlineData("_+", "_+", 0)]
    [InlineData("+", "_", 0)]
    [InlineData("_", "+", 0)]
    [InlineData("1.0~rc1", "1.0~rc1", 0)]
    [InlineData("1.0~rc1", "1.0", -1)]
    [InlineData("1.0", "1.0~rc1", 1)]
    [InlineData("1.0~rc1", "1.0~rc2", -1)]
    [InlineData("1.0~rc2", "1.0~rc1", 1)]
    [InlineData("1.0~rc1~git123", "1.0~rc1~git123", 0)]
    [InlineData("1.0~rc1~git123", "1.0~rc1", -1)]
    [InlineData("1.0~rc1", "1.0~rc1~git123", 1)]
    // '^' (rpm >= 4.15): after the base version, before anything else.
    [InlineData("1.0^", "1.0", 1)]
    [InlineData("1.0^git1", "1.0", 1)]
    [InlineData("1.0^git1", "1.0.1", -1)]
    [InlineData("1.0^git1", "1.0^git2", -1)]
    [InlineData("1.0~rc1^git1", "1.0~rc1", 1)]
    [InlineData("1.0~rc1^git1", "1.0", -1)]
    public void Orders_as_rpmvercmp(string left, string right, int expected)
    {
        Assert.Equal(expected, Math.Sign(RpmVersion.CompareSegment(left, right)));
        Assert.Equal(expected, Math.Sign(Scheme.Compare(left, right)));
    }

    [Theory]
    [InlineData("1:1.0-1", "2.0-1", 1)]
    [InlineData("0:1.0", "1.0", 0)]
    [InlineData(":1.0", "1.0", 0)]
    [InlineData("a:1.0", "1.0", -1)]
    [InlineData("1.0-1", "1.0", 1)]
    [InlineData("1.0-1", "1.0-2", -1)]
    [InlineData("1:9-~", "1:9", 1)] // rpm: any release beats none, even one that sorts before the end
    [InlineData("2-~00a", "2_", 1)]
    [InlineData("2.32.1-42.el8_8", "2.32.1-42.el8", 1)]
    [InlineData("1:3.0.7-25.amzn2023.0.1", "1:3.0.8-1.amzn2023.0.1", -1)]
    [InlineData("2.17-326.el7_9.3", "2.17-326.el7_9", 1)]
    public void Orders_epoch_version_release(string left, string right, int expected)
    {
        Assert.Equal(expected, Math.Sign(Scheme.Compare(left, right)));
        Assert.Equal(-expected, Math.Sign(Scheme.Compare(right, left)));
        Assert.Equal(expected, Math.Sign(RpmVersion.Parse(left).CompareTo(RpmVersion.Parse(right))));
    }

    [Fact]
    public void Splits_epoch_version_and_release()
    {
        var v = RpmVersion.Parse("1:3.0.7-25.amzn2023.0.1");
        Assert.Equal("1", v.Epoch.ToString());
        Assert.Equal("3.0.7", v.Version.ToString());
        Assert.Equal("25.amzn2023.0.1", v.Release.ToString());
        Assert.False(RpmVersion.Parse("1.0").HasRelease);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1:")]
    [InlineData("-1")]
    public void Rejects_an_empty_version_part(string text)
    {
        Assert.False(Scheme.IsValid(text));
        Assert.Throws<VersionFormatException>(() => Scheme.Compare(text, "1.0"));
    }

    private static readonly Gen<string> Segments = Gen.String[Gen.Char["0129az.~^_+"], 1, 8];

    private static readonly Gen<string> Evrs =
        Gen.Select(Gen.Int[-1, 2], Gen.String[Gen.Char["0129az.~^_+"], 1, 8].Where(s => char.IsAsciiLetterOrDigit(s[0])), Gen.Int[0, 1], Gen.String[Gen.Char["0129az.~^_"], 1, 6])
            .Select((epoch, version, hasRelease, release) =>
                (epoch < 0 ? "" : $"{epoch}:") + version + (hasRelease == 0 ? "" : "-" + release));

    [Fact]
    public void Ordering_laws_hold_on_generated_segments() => OrderingProperties.Hold(Scheme, Segments);

    [Fact]
    public void Ordering_laws_hold_on_generated_evrs() => OrderingProperties.Hold(Scheme, Evrs);

    /// <summary>
    /// The real rpm (4.18, Debian's <c>rpm</c> package) orders the EVRs of the fixture databases and generated ones
    /// exactly as we do, through its Lua <c>rpm.vercmp</c>. The test fails, naming the package, when rpm is missing.
    /// </summary>
    [Fact]
    public void Agrees_with_rpm_vercmp()
    {
        var rpm = ExternalTool.Require("rpm", "rpm");
        var fixtureEvrs = Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Fixtures, "rpm"), "*.tsv", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split('\t'))
            .Where(f => f.Length >= 4)
            .Select(f => (f[1] == "(none)" ? "" : f[1] + ":") + f[2] + "-" + f[3])
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(fixtureEvrs.Count > 100, $"expected many EVRs in the rpm fixtures, found {fixtureEvrs.Count}");

        var pool = fixtureEvrs.Concat(Evrs.Array[300].Single()).Concat(Segments.Array[200].Single())
            .Where(v => !v.Contains('"', StringComparison.Ordinal) && !v.Contains('\\', StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).ToList();
        var random = new Random(4_18_0);
        var pairs = new List<(string A, string B)>();
        var sorted = pool.Order(Comparer<string>.Create(Scheme.Compare)).ToList();
        for (var i = 1; i < sorted.Count; i++) pairs.Add((sorted[i - 1], sorted[i]));
        for (var i = 0; i < 2000; i++) pairs.Add((pool[random.Next(pool.Count)], pool[random.Next(pool.Count)]));

        var file = Path.Combine(Path.GetTempPath(), $"rpmvercmp-{Guid.NewGuid():N}.txt");
        try
        {
            File.WriteAllLines(file, pairs.Select(p => p.A + "\t" + p.B));
            var lua = $$"""%{lua: for line in io.lines("{{file}}") do local a, b = line:match("^([^\t]*)\t(.*)$"); print(rpm.vercmp(a, b) .. "\n") end}""";
            var answers = ExternalTool.Run(rpm, ["--eval", lua]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(pairs.Count, answers.Length);
            var disagreements = pairs.Zip(answers)
                .Where(x => Math.Sign(Scheme.Compare(x.First.A, x.First.B)) != int.Parse(x.Second, CultureInfo.InvariantCulture))
                .Select(x => $"{x.First.A} vs {x.First.B}: rpm {x.Second}")
                .ToList();
            Assert.Empty(disagreements);
        }
        finally
        {
            File.Delete(file);
        }
    }
}

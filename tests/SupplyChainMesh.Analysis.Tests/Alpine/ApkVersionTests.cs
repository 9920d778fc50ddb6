using CsCheck;
using SupplyChainMesh.Analysis.Alpine;
using SupplyChainMesh.Analysis.Tests.Versions;
using SupplyChainMesh.Analysis.Versions;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Alpine;

public class ApkVersionTests
{
    private static readonly ApkVersionScheme Scheme = ApkVersionScheme.Instance;

    /// <summary>Facts from apk-tools' test/version.data ("left op right", one per line).</summary>
    private const string VersionData = """
        2.34 > 0.1.0_alpha
        23_foo > 4_beta
        1.0 < 1.0bc
        0.1.0_alpha = 0.1.0_alpha
        0.1.0_alpha < 0.1.3_alpha
        0.1.3_alpha > 0.1.0_alpha
        0.1.0_alpha2 > 0.1.0_alpha
        0.1.0_alpha < 2.2.39-r1
        2.2.39-r1 > 1.0.4-r3
        1.0.4-r3 < 1.0.4-r4
        1.0.4-r4 < 1.6
        1.6 > 1.0.2
        1.0.2 > 0.7-r1
        0.7-r1 < 1.0.0
        1.0.0 < 1.0.1
        1.0.1 < 1.1
        1.1 > 1.1_alpha1
        1.1_alpha1 < 1.2.1
        1.2.1 > 1.2
        1.2 < 1.3_alpha
        1.3_alpha < 1.3_alpha2
        1.3_alpha2 < 1.3_alpha3
        1.3_alpha8 > 0.6.0
        0.6.0 < 0.6.1
        0.6.1 < 0.7.0
        0.7.0 < 0.8_beta1
        0.8_beta1 < 0.8_beta2
        0.8_beta4 < 4.8-r1
        4.8-r1 > 3.10.18-r1
        3.10.18-r1 > 2.3.0b-r1
        2.3.0b-r1 < 2.3.0b-r2
        2.3.0b-r2 < 2.3.0b-r3
        2.3.0b-r3 < 2.3.0b-r4
        2.3.0b-r4 > 0.12.1
        0.12.1 < 0.12.2
        0.12.2 < 0.12.3
        0.12.3 > 0.12
        0.12 < 0.13_beta1
        0.13_beta1 < 0.13_beta2
        0.13_beta2 < 0.13_beta3
        0.13_beta3 < 0.13_beta4
        0.13_beta4 < 0.13_beta5
        0.13_beta5 > 0.9.12
        0.9.12 < 0.9.13
        0.9.13 > 0.9.12
        0.9.13 > 0.0.16
        0.0.16 < 0.6
        0.6 < 2.1.13-r3
        2.1.13-r3 < 2.1.15-r2
        2.1.15-r2 < 2.1.15-r3
        2.1.15-r3 > 1.2.11
        1.2.11 < 1.2.12.1
        1.2.12.1 < 1.2.13
        1.2.13 < 1.2.14-r1
        1.2.14-r1 > 0.7.1
        0.7.1 > 0.5.4
        0.5.4 < 0.7.0
        0.7.0 < 1.2.13
        1.2.13 > 1.0.8
        1.0.8 < 1.2.1
        1.2.1 > 0.7-r1
        0.7-r1 < 2.4.32
        2.4.32 < 2.8-r4
        2.8-r4 > 0.9.6
        0.9.6 > 0.2.0-r1
        0.2.0-r1 = 0.2.0-r1
        0.2.0-r1 < 3.1_p16
        3.1_p16 < 3.1_p17
        3.1_p17 > 1.06-r6
        1.06-r6 < 006
        006 > 1.0.0
        1.0.0 < 1.2.2-r1
        1.2.2-r1 > 1.2.2
        1.2.2 > 0.3-r1
        0.3-r1 < 9.3.2-r4
        9.3.2-r4 < 9.3.4-r2
        9.3.4-r2 > 9.3.4
        9.3.4 > 9.3.2
        9.3.2 < 9.3.4
        9.3.4 > 1.1.3
        1.1.3 < 2.16.1-r3
        2.16.1-r3 = 2.16.1-r3
        2.16.1-r3 > 2.1.0-r2
        2.1.0-r2 < 2.9.3-r1
        2.9.3-r1 > 0.9-r1
        0.9-r1 > 0.8-r1
        0.8-r1 < 1.0.6-r3
        1.0.6-r3 > 0.11
        0.11 < 0.12
        0.12 < 1.2.1-r1
        1.2.1-r1 < 1.2.2.1
        1.2.2.1 < 1.4.1-r1
        1.4.1-r1 < 1.4.1-r2
        1.4.1-r2 > 1.2.2
        1.2.2 < 1.3
        1.3 > 1.0.3-r6
        1.0.3-r6 < 1.0.4
        1.0.4 < 2.59
        2.59 < 20050718-r1
        20050718-r1 < 20050718-r2
        20050718-r2 > 3.9.8-r5
        3.9.8-r5 > 2.01.01_alpha10
        2.01.01_alpha10 > 0.94
        0.94 < 1.0
        1.0 > 0.99.3.20040818
        0.99.3.20040818 > 0.7
        0.7 < 1.21-r1
        1.21-r1 > 0.13
        0.13 < 0.90.1-r1
        0.90.1-r1 > 0.10.2
        0.10.2 < 0.10.3
        0.10.3 < 1.6
        1.6 < 1.39
        1.39 > 1.00_beta2
        1.00_beta2 > 0.9.2
        0.9.2 < 5.94-r1
        5.94-r1 < 6.4
        6.4 > 2.6-r5
        2.6-r5 > 1.4
        1.4 < 2.8.9-r1
        2.8.9-r1 > 2.8.9
        2.8.9 > 1.1
        1.1 > 1.0.3-r2
        1.0.3-r2 < 1.3.4-r3
        1.3.4-r3 < 2.2
        2.2 > 1.2.6
        1.2.6 < 7.15.1-r1
        7.15.1-r1 > 1.02
        1.02 < 1.03-r1
        1.03-r1 < 1.12.12-r2
        1.12.12-r2 < 2.8.0.6-r1
        2.8.0.6-r1 > 0.5.2.7
        0.5.2.7 < 4.2.52_p2-r1
        4.2.52_p2-r1 < 4.2.52_p4-r2
        4.2.52_p4-r2 > 1.02.07
        1.02.07 < 1.02.10-r1
        1.02.10-r1 < 3.0.3-r9
        3.0.3-r9 > 2.0.5-r1
        2.0.5-r1 < 4.5
        4.5 > 2.8.7-r1
        2.8.7-r1 > 1.0.5
        1.0.5 < 8
        8 < 9
        9 > 2.18.3-r10
        2.18.3-r10 > 1.05-r18
        1.05-r18 < 1.05-r19
        1.05-r19 < 2.2.5
        2.2.5 < 2.8
        2.8 < 2.20.1
        2.20.1 < 2.20.3
        2.20.3 < 2.31
        2.31 < 2.34
        2.34 < 2.38
        2.38 < 20050405
        20050405 > 1.8
        1.8 < 2.11-r1
        2.11-r1 > 2.11
        2.11 > 0.1.6-r3
        0.1.6-r3 < 0.47-r1
        0.47-r1 < 0.49
        0.49 < 3.6.8-r2
        3.6.8-r2 > 1.39
        1.39 < 2.43
        2.43 > 2.0.6-r1
        2.0.6-r1 > 0.2-r6
        0.2-r6 < 0.4
        0.4 < 1.0.0
        1.0.0 < 10-r1
        10-r1 > 4
        4 > 0.7.3-r2
        0.7.3-r2 > 0.7.3
        0.7.3 < 1.95.8
        1.95.8 > 1.1.19
        1.1.19 > 1.1.5
        1.1.5 < 6.3.2-r1
        6.3.2-r1 < 6.3.3
        6.3.3 > 4.17-r1
        4.17-r1 < 4.18
        4.18 < 4.19
        4.19 > 4.3.0
        4.3.0 < 4.3.2-r1
        4.3.2-r1 > 4.3.2
        4.3.2 > 0.68-r3
        0.68-r3 < 1.0.0
        1.0.1 > 1.0.0
        1.0.0 = 1.0.0
        1.0.1 < 2.3.2-r1
        2.3.2-r1 < 2.4.2
        2.4.2 < 20060720
        20060720 > 3.0.20060720
        3.0.20060720 < 20060720
        20060720 > 1.1
        1.1 = 1.1
        1.1 < 1.1.1-r1
        1.1.1-r1 < 1.1.3-r1
        1.1.3-r1 < 1.1.3-r2
        1.1.3-r2 < 2.1.10-r2
        2.1.10-r2 > 0.7.18-r2
        0.7.18-r2 < 0.17-r6
        0.17-r6 < 2.6.1
        2.6.1 < 2.6.3
        2.6.3 < 3.1.5-r2
        3.1.5-r2 < 3.4.6-r1
        3.4.6-r1 < 3.4.6-r2
        3.4.6-r2 = 3.4.6-r2
        3.4.6-r2 > 2.0.33
        2.0.33 < 2.0.34
        2.0.34 > 1.8.3-r2
        1.8.3-r2 < 1.8.3-r3
        1.8.3-r3 < 4.1
        4.1 < 8.54
        8.54 > 4.1.4
        4.1.4 > 1.2.10-r5
        1.2.10-r5 < 4.1.4-r3
        4.1.4-r3 = 4.1.4-r3
        4.1.4-r3 < 4.2.1
        4.2.1 > 4.1.0
        4.1.0 < 8.11
        8.11 > 1.4.4-r1
        1.4.4-r1 < 2.1.9.200602141850
        2.1.9.200602141850 > 1.6
        1.6 < 2.5.1-r8
        2.5.1-r8 < 2.5.1a-r1
        2.5.1a-r1 > 1.19.2-r1
        1.19.2-r1 > 0.97-r2
        0.97-r2 < 0.97-r3
        0.97-r3 < 1.3.5-r10
        1.3.5-r10 > 1.3.5-r8
        1.3.5-r8 < 1.3.5-r9
        1.3.5-r9 > 1.0
        1.1 > 0.9.11
        0.9.11 < 0.9.12
        0.9.14 < 0.9.15
        0.9.16 > 0.3-r2
        0.3-r2 < 6.3
        6.6 < 6.9
        6.9 > 0.7.2-r3
        0.7.2-r3 < 1.2.10
        1.2.10 < 20040923-r2
        20040923-r2 > 20040401
        20040401 > 2.0.0_rc3-r1
        2.0.0_rc3-r1 > 1.5
        1.5 < 4.4
        4.4 > 1.0.1
        1.0.1 < 2.2.0
        2.2.0 > 1.1.0-r2
        1.1.0-r2 > 0.3
        0.3 < 20020207-r2
        20020207-r2 > 1.31-r2
        1.31-r2 < 3.7
        3.7 > 2.0.1
        2.0.2 > 0.99.163
        0.99.163 < 2.6.15.20060110
        2.6.15.20060110 < 2.6.16.20060323
        2.6.16.20060323 < 2.6.19.20061214
        2.6.19.20061214 > 0.6.2-r1
        0.6.5 < 1.3.5-r1
        1.3.5-r1 < 1.3.5-r4
        1.3.5-r4 < 3.0.0-r2
        3.0.0-r2 < 021109-r3
        021109-r3 < 20060512
        20060512 > 1.24
        1.24 > 0.9.16-r1
        0.9.16-r1 < 3.9_pre20060124
        3.9_pre20060124 > 0.01
        0.01 < 0.06
        0.06 < 1.1.7
        1.1.7 < 6b-r7
        6b-r7 > 1.12-r7
        1.12-r7 < 1.12-r8
        1.12-r8 > 1.1.12
        0.5 < 3.96.1
        3.96.1 < 3.97
        3.97 > 0.10.0-r1
        0.10.0-r1 > 0.10.0
        0.10.0 < 0.10.1_rc1
        0.10.1_rc1 > 0.9.11
        0.9.11 < 394
        394 > 2.31
        2.17-r3 > 0.1.7
        0.1.7 < 1.11
        2.0.2 > 1.1a
        1.1a < 1.3a
        1.3a > 1.0.2
        1.0-r1 > 0.15.1b
        0.15.1b < 1.0.1
        1.06-r2 > 0.15.1b-r2
        0.15.1b-r2 > 0.15.1b
        22.7-r1 < 22.7.3-r1
        22.7.3-r1 > 22.7
        22.7 > 2.1_pre20
        2.1_pre20 < 2.1_pre26
        2.10.1 > 02.08.01b
        02.08.01b < 4.77
        3.81 > 1.6d
        1.6d > 1.2.07.8
        1.2.07.8 < 1.2.12.04
        1.2.12.04 < 1.2.12.05
        20061003 > 0.1_pre20060810
        0.1_pre20060810 < 0.1_pre20060817
        3.3.17 > 0.59s-r11
        0.59s-r11 < 0.65
        1.60-r12 < 110-r8
        0.20070118 < 0.20070207_rc1
        0.20070207_rc1 < 1.0
        2.3.30-r2 < 3.7_p1
        3.7_p1 > 1.3
        0.10.1 < 4.3_p2-r1
        4.3_p2-r1 < 4.3_p2-r5
        4.3_p2-r5 < 4.4_p1-r6
        4.4_p1-r6 < 4.5_p1-r1
        4.5_p1-r1 > 4.5_p1
        4.5_p1 > 0.9.8c-r1
        0.9.8c-r1 < 0.9.8d
        2.2.3-r2 < 013
        013 < 014-r1
        0.1.23 < 5b-r9
        5b-r9 > 2.2.10
        3.2.7 > 0.3.1_rc8
        0.3.1_rc8 < 22.2
        5.7-r3 > 5.1_p4
        5.1_p4 > 1.0.5
        1.7 < 1.7b
        1.7b < 1.8.4-r3
        1.8.5 < 1.8.5_p2
        1.8.5_p2 > 1.1.3
        1.4.9-r2 < 2.9.11_pre20051101-r2
        2.9.11_pre20051101-r2 < 2.9.11_pre20051101-r3
        2.9.11_pre20051101-r3 > 2.9.11_pre20051101
        2.9.11_pre20051101 < 2.9.11_pre20061021-r1
        1.6.8_p12-r1 > 1.6.8_p9-r2
        0.40-r1 < 2.25b-r5
        2.25b-r5 < 2.25b-r6
        1.0.5 < 1.4_p12-r2
        0.9.28-r2 < 0.9.28.1
        0.9.28.1 > 0.9.28
        0.9.28.1 < 087-r1
        087-r1 < 103
        104-r11 > 104-r9
        5.52-r1 > 1.2.5_rc2
        1.2.5_rc2 > 0.1
        20040406-r1 > 2.12r-r4
        2.12r-r4 < 2.12r-r5
        7.0.17 < 7.0.174
        1.1.1-r3 > 0.3.4_pre20061029
        0.3.4_pre20061029 < 0.4.0
        2.16 < 28
        1.3-r0 < 1.3.1-r0
        1.3_pre1-r1 < 1.3.2
        1.0_p10-r0 > 1.0_p9-r0
        0.1.0_alpha_pre2 < 0.1.0_alpha
        1.0.0_pre20191002222144-r0 < 1.0.0_pre20210530193627-r0
        """;

    public static TheoryData<string, string, int> Facts()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var line in VersionData.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            data.Add(parts[0], parts[2], OrderingProperties.Sign(parts[1]));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Facts))]
    public void Orders_as_apk_tools(string left, string right, int expected)
    {
        Assert.Equal(expected, Math.Sign(Scheme.Compare(left, right)));
        Assert.Equal(-expected, Math.Sign(Scheme.Compare(right, left)));
    }

    [Fact]
    public void Has_many_facts() => Assert.True(Facts().Count > 300);

    [Theory]
    [InlineData("1.0")]
    [InlineData("1.2.3a_rc1_p2-r10")]
    [InlineData("2.9.11_pre20051101-r2")]
    [InlineData("1.2.4_git20230717-r4")]
    [InlineData("1.0.0_pre20210530193627-r0")]
    // apk-tools 2's validator is lenient: empty components and dangling separators tokenise to the end.
    [InlineData("1..0")]
    [InlineData("1.0-r")]
    [InlineData("a1.0")]
    [InlineData("1.0_")]
    public void Accepts_well_formed_versions(string text)
    {
        Assert.True(Scheme.IsValid(text));
        Assert.Equal(0, ApkVersion.Parse(text).CompareTo(ApkVersion.Parse(text)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.0bc")]
    [InlineData("23_foo")]
    [InlineData("1.0-1")]
    [InlineData("1.2.3-r1.4")]
    [InlineData("1.123456789012345678")]
    public void Rejects_malformed_versions(string text)
    {
        Assert.False(Scheme.IsValid(text));
        Assert.Throws<VersionFormatException>(() => ApkVersion.Parse(text));
    }

    [Fact]
    public void Every_version_of_the_fixture_databases_is_valid()
    {
        var versions = Directory.EnumerateFiles(Path.Combine(RepositoryLayout.Fixtures, "apk"), "*.expected.tsv", SearchOption.AllDirectories)
            .SelectMany(File.ReadLines)
            .Select(line => line.Split('\t')[1])
            .ToList();
        Assert.NotEmpty(versions);
        Assert.All(versions, v => Assert.True(Scheme.IsValid(v), v));
    }

    private static readonly Gen<string> Versions =
        Gen.Select(
            Gen.Int[0, 12].Array[1, 4].Select(a => string.Join('.', a)),
            Gen.OneOf<string>("", "", "a", "b", "z"),
            Gen.OneOf<string>("", "_alpha", "_beta2", "_pre", "_rc1", "_rc10", "_cvs", "_svn", "_git20230717", "_hg", "_p", "_p2", "_alpha_pre2").Array[0, 2],
            Gen.Int[-1, 12])
        .Select((numbers, letter, suffixes, revision) =>
            numbers + letter + string.Concat(suffixes) + (revision < 0 ? "" : $"-r{revision}"));

    [Fact]
    public void Ordering_laws_hold_on_generated_versions() => OrderingProperties.Hold(Scheme, Versions);

    [Fact]
    public void Generated_versions_are_valid() => Versions.Sample(v => Scheme.IsValid(v));
}

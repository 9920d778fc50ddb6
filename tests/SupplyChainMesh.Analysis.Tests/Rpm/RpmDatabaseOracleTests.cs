using System.Globalization;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Rpm;
using SupplyChainMesh.Analysis.Tests.Alpine;

namespace SupplyChainMesh.Analysis.Tests.Rpm;

[Collection(RpmFixtures.SpoolCollection)]
public class RpmDatabaseOracleTests
{
    public static TheoryData<string> Databases() => [.. RpmFixtures.DatabasesWithOracle()];

    [Fact]
    public void All_six_rpm_databases_with_an_oracle_are_found()
    {
        Assert.Equal(6, Databases().Count);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public void Reader_lists_exactly_the_rows_rpm_lists(string database)
    {
        var expected = ReadOracle(RpmFixtures.OraclePath(database));
        using var copy = RpmFixtures.Copy(database);
        var problems = new List<string>();

        var actual = RpmDatabase.ReadHeaders(copy.Path, problems.Add).Select(Row).ToList();

        Assert.Empty(problems);
        // rpm's iteration order is the database's; the NDB oracle comes from another rpm build, so compare sorted.
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Databases))]
    public async Task Detector_reports_every_package_but_gpg_pubkeys_with_owned_files(string database)
    {
        var expected = ReadOracle(RpmFixtures.OraclePath(database))
            .Select(r => r.Split('\t')).Where(r => r[0] != "gpg-pubkey").ToList();
        using var copy = RpmFixtures.Copy(database);
        var bytes = await File.ReadAllBytesAsync(copy.Path);
        var layerPath = Path.GetFileName(database) switch
        {
            "rpmdb.sqlite" => "usr/lib/sysimage/rpm/rpmdb.sqlite",
            "Packages.db" => "usr/lib/sysimage/rpm/Packages.db",
            _ => "var/lib/rpm/Packages",
        };
        var file = new LayerFile(layerPath, bytes.Length, 0x1A4);
        var detector = new RpmPackageDetector();
        var sink = new RecordingSink();

        Assert.True(detector.Wants(file));
        await detector.DetectAsync(file, new MemoryStream(bytes), sink, CancellationToken.None);

        Assert.Empty(sink.Problems);
        Assert.Equal(expected.Count, sink.Packages.Count);
        var byName = sink.Packages.ToLookup(p => (p.Name, p.Arch));
        foreach (var row in expected)
        {
            var version = row[1] is "(none)" or "0" ? $"{row[2]}-{row[3]}" : $"{row[1]}:{row[2]}-{row[3]}";
            var package = Assert.Single(byName[(row[0], row[4] == "(none)" ? null : row[4])], p => p.Version == version);
            Assert.Equal("rpm", package.Type);
            Assert.Equal(layerPath, package.Path);
            var sourceVersion = package.SourceVersion ?? "";
            Assert.Equal(row[5], $"{package.SourceName}-{sourceVersion[(sourceVersion.IndexOf(':', StringComparison.Ordinal) + 1)..]}.src.rpm");
        }
        Assert.NotEmpty(sink.OwnedFiles);
        Assert.All(sink.OwnedFiles, f => Assert.False(f.StartsWith('/')));
    }

    private static string Row(RpmHeader h) => string.Join('\t',
        h.Name,
        h.Epoch?.ToString(CultureInfo.InvariantCulture) ?? "(none)",
        h.Version,
        h.Release,
        h.Arch ?? "(none)",
        h.SourceRpm ?? "(none)");

    private static List<string> ReadOracle(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
}

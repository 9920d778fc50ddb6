using BenchmarkDotNet.Attributes;
using SupplyChainMesh.Analysis.Alpine;
using SupplyChainMesh.Analysis.Distributions;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Analysis.Rpm;

namespace SupplyChainMesh.Benchmarks.Benchmarks;

/// <summary>
/// The OS package database readers on the shared fixtures:
/// <c>dotnet run -c Release --project tests/SupplyChainMesh.Benchmarks -- --filter '*RpmApk*'</c>.
/// </summary>
[MemoryDiagnoser]
public class RpmApkBenchmarks
{
    private byte[] _apkInstalled = [];
    private List<byte[]> _marinerBlobs = [];
    private byte[] _marinerSqlite = [];
    private string _scratch = "";
    private string _sqliteCopy = "";
    private string _ndb = "";
    private string _bdb = "";

    [GlobalSetup]
    public void Setup()
    {
        var fixtures = FindFixtures();
        _apkInstalled = File.ReadAllBytes(Path.Combine(fixtures, "apk", "alpine-3.18", "installed"));
        _scratch = Directory.CreateTempSubdirectory("scm-bench-rpm-").FullName;
        _sqliteCopy = Path.Combine(_scratch, "rpmdb.sqlite");
        File.Copy(Path.Combine(fixtures, "rpm", "cbl-mariner-2.0", "rpmdb.sqlite"), _sqliteCopy);
        File.SetAttributes(_sqliteCopy, FileAttributes.Normal);
        _marinerSqlite = File.ReadAllBytes(_sqliteCopy);
        _marinerBlobs = SqlitePackagesReader.ReadBlobs(_sqliteCopy).ToList();
        _ndb = Path.Combine(fixtures, "rpm", "sle15-bci-minimal-15.3", "Packages.db");
        _bdb = Path.Combine(fixtures, "rpm", "rhel8-libuuid", "Packages");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_scratch, recursive: true);

    /// <summary>Alpine 3.18 installed db (15 packages, 14.6 KB) with owned files.</summary>
    [Benchmark]
    public int ApkInstalled_Parse() => ApkInstalledParser.Parse(_apkInstalled).Packages.Count;

    /// <summary>All 129 headers of CBL-Mariner 2.0 (from memory), with their owned files.</summary>
    [Benchmark]
    public int RpmHeaders_Parse_WithFiles()
    {
        var files = 0;
        foreach (var blob in _marinerBlobs)
        {
            if (RpmHeaderParser.TryParse(blob, includeFiles: true, out var header, out _)) files += header.Files.Count;
        }
        return files;
    }

    /// <summary>The same 129 headers, package fields only.</summary>
    [Benchmark]
    public int RpmHeaders_Parse_NoFiles()
    {
        var count = 0;
        foreach (var blob in _marinerBlobs)
        {
            if (RpmHeaderParser.TryParse(blob, includeFiles: false, out _, out _)) count++;
        }
        return count;
    }

    /// <summary>Open and read the 3.6 MB CBL-Mariner rpmdb.sqlite from disk.</summary>
    [Benchmark]
    public int RpmDatabase_Sqlite() => RpmDatabase.ReadHeaders(_sqliteCopy, static _ => { }).Count();

    /// <summary>The 1.4 MB SLE 15 ndb Packages.db (36 packages).</summary>
    [Benchmark]
    public int RpmDatabase_Ndb() => RpmDatabase.ReadHeaders(_ndb, static _ => { }).Count();

    /// <summary>The 92 KB RHEL 8 Berkeley DB Packages (one header over 20 overflow pages).</summary>
    [Benchmark]
    public int RpmDatabase_BerkeleyDb() => RpmDatabase.ReadHeaders(_bdb, static _ => { }).Count();

    /// <summary>The detector on the CBL-Mariner rpmdb.sqlite as a layer stream: spool to a temp file, read, report.</summary>
    [Benchmark]
    public async Task<int> RpmDetector_Sqlite_FromStream()
    {
        var sink = new CountingSink();
        var file = new LayerFile("var/lib/rpm/rpmdb.sqlite", _marinerSqlite.Length, 0x1A4);
        using var stream = new MemoryStream(_marinerSqlite, writable: false);
        await new RpmPackageDetector().DetectAsync(file, stream, sink, CancellationToken.None);
        return sink.Packages + sink.Files;
    }

    private static string FindFixtures()
    {
        if (Environment.GetEnvironmentVariable("SCM_SHARED_DIR") is { Length: > 0 } shared) return Path.Combine(shared, "fixtures");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SupplyChainMesh.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures"));
        }
        throw new InvalidOperationException("Cannot find the shared fixtures: set SCM_SHARED_DIR.");
    }

    private sealed class CountingSink : IDetectionSink
    {
        public int Packages { get; private set; }

        public int Files { get; private set; }

        public void Package(Package package) => Packages++;

        public void Distribution(Distribution distribution, string path) { }

        public void OwnedFile(string path) => Files++;

        public void Problem(string path, string reason) { }
    }
}

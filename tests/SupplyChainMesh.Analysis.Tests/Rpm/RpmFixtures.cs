using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.Rpm;

/// <summary>The rpm databases of the shared fixtures and their oracles.</summary>
internal static class RpmFixtures
{
    /// <summary>Tests that run the detector (which spools to scm-rpmdb-* temp files) run one at a time, so one can
    /// check that its spool is gone.</summary>
    public const string SpoolCollection = "rpm detector temp files";

    public static string Root => Path.Combine(RepositoryLayout.Fixtures, "rpm");

    private static readonly string[] OracleSuffixes = [".rpm-qa.tsv", ".expected.tsv"];

    /// <summary>Databases that have an oracle, relative to <see cref="Root"/>.</summary>
    public static IEnumerable<string> DatabasesWithOracle() =>
        Directory.EnumerateFiles(Root, "*.tsv", SearchOption.AllDirectories)
            .Select(oracle => OracleSuffixes.Where(s => oracle.EndsWith(s, StringComparison.Ordinal)).Select(s => oracle[..^s.Length]).FirstOrDefault())
            .OfType<string>()
            .Select(db => Path.GetRelativePath(Root, db))
            .Order(StringComparer.Ordinal);

    public static string OraclePath(string database)
    {
        var full = Path.Combine(Root, database);
        return OracleSuffixes.Select(s => full + s).First(File.Exists);
    }

    /// <summary>
    /// A private copy of a database in a fresh folder: SQLite (and rpm) may create <c>-shm</c>/<c>-wal</c> files next
    /// to a database they open, and the fixtures are read-only material.
    /// </summary>
    public static TempCopy Copy(string database) => new(Path.Combine(Root, database));

    public sealed class TempCopy : IDisposable
    {
        private readonly string _directory;

        public TempCopy(string source)
        {
            _directory = Directory.CreateTempSubdirectory("scm-rpm-test-").FullName;
            Path = System.IO.Path.Combine(_directory, System.IO.Path.GetFileName(source));
            File.Copy(source, Path);
            File.SetAttributes(Path, FileAttributes.Normal);
        }

        public string Path { get; }

        public void Dispose() => Directory.Delete(_directory, recursive: true);
    }
}

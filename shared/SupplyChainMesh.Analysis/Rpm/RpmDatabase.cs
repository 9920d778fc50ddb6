using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>The on-disk formats of rpm's package database.</summary>
public enum RpmDatabaseFormat
{
    Unknown,

    /// <summary><c>rpmdb.sqlite</c>.</summary>
    Sqlite,

    /// <summary>Berkeley DB hash <c>Packages</c>.</summary>
    BerkeleyDb,

    /// <summary>rpm's native <c>Packages.db</c>.</summary>
    Ndb,
}

/// <summary>
/// Reads every header of an rpm database file, whichever of the three formats it is (told by content, not name).
/// Returns all headers, gpg-pubkey pseudo-packages included, in the database's iteration order.
/// </summary>
public static class RpmDatabase
{
    /// <summary>The format of a database from its first bytes (at least 16).</summary>
    public static RpmDatabaseFormat Sniff(ReadOnlySpan<byte> head) =>
        SqlitePackagesReader.IsSqliteDatabase(head) ? RpmDatabaseFormat.Sqlite
        : NdbPackagesReader.IsNdbDatabase(head) ? RpmDatabaseFormat.Ndb
        : BerkeleyDbHashReader.IsHashDatabase(head) ? RpmDatabaseFormat.BerkeleyDb
        : RpmDatabaseFormat.Unknown;

    /// <summary>
    /// Every header in the file at <paramref name="path"/>. Headers that do not parse are described to
    /// <paramref name="problem"/> and skipped; a file that is no rpm database, or whose structure is broken, throws
    /// <see cref="RpmDatabaseFormatException"/> (possibly after the headers read before the damage).
    /// </summary>
    public static IEnumerable<RpmHeader> ReadHeaders(string path, Action<string> problem, bool includeFiles = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(problem);
        RpmDatabaseFormat format;
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            var head = new byte[16];
            var read = RandomAccess.Read(handle, head, 0);
            format = Sniff(head.AsSpan(0, read));
        }
        return format switch
        {
            RpmDatabaseFormat.Sqlite => Parse(SqlitePackagesReader.ReadBlobs(path), problem, includeFiles),
            RpmDatabaseFormat.BerkeleyDb => FromHandle(path, BerkeleyDbHashReader.ReadValues, problem, includeFiles),
            RpmDatabaseFormat.Ndb => FromHandle(path, NdbPackagesReader.ReadBlobs, problem, includeFiles),
            _ => throw new RpmDatabaseFormatException("not an rpm database: neither SQLite, Berkeley DB hash nor ndb"),
        };
    }

    private static IEnumerable<RpmHeader> FromHandle(
        string path,
        Func<SafeFileHandle, Action<string>, IEnumerable<byte[]>> read,
        Action<string> problem,
        bool includeFiles)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        foreach (var header in Parse(read(handle, problem), problem, includeFiles)) yield return header;
    }

    private static IEnumerable<RpmHeader> Parse(IEnumerable<byte[]> blobs, Action<string> problem, bool includeFiles)
    {
        var number = 0;
        foreach (var blob in blobs)
        {
            number++;
            if (RpmHeaderParser.TryParse(blob, includeFiles, out var header, out var error))
            {
                if (header.FileListProblem is { } fileProblem)
                    problem(string.Create(CultureInfo.InvariantCulture, $"package {header.Name}: {fileProblem}; its files are not listed"));
                yield return header;
            }
            else
            {
                problem(string.Create(CultureInfo.InvariantCulture, $"package record {number}: {error}; skipped"));
            }
        }
    }
}

using Microsoft.Data.Sqlite;

namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>
/// Reads the header blobs of rpm's SQLite database (<c>rpmdb.sqlite</c>, rpm ≥ 4.16: Fedora 33+, RHEL 9, Amazon
/// Linux 2023, CBL-Mariner 2): table <c>Packages(hnum INTEGER PRIMARY KEY, blob BLOB)</c>, read in <c>hnum</c> order
/// as rpm iterates it.
/// </summary>
/// <remarks>
/// The file is opened read-only and <c>immutable</c>, so SQLite neither writes <c>-shm</c>/<c>-wal</c> files next to
/// it nor takes locks; pooling is off so the file is closed (and deletable) when enumeration ends.
/// </remarks>
public static class SqlitePackagesReader
{
    private static ReadOnlySpan<byte> SqliteMagic => "SQLite format 3\0"u8;

    public static bool IsSqliteDatabase(ReadOnlySpan<byte> head) => head.StartsWith(SqliteMagic);

    public static IEnumerable<byte[]> ReadBlobs(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = new Uri(Path.GetFullPath(path)).AbsoluteUri + "?immutable=1",
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        };
        return Read(builder.ConnectionString);
    }

    private static IEnumerable<byte[]> Read(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        SqliteDataReader reader;
        SqliteCommand command;
        try
        {
            connection.Open();
            command = connection.CreateCommand();
            command.CommandText = "SELECT blob FROM Packages ORDER BY hnum";
            reader = command.ExecuteReader();
        }
        catch (SqliteException e)
        {
            throw new RpmDatabaseFormatException($"rpmdb.sqlite cannot be read: {e.Message}", e);
        }
        using (command)
        using (reader)
        {
            while (true)
            {
                byte[]? blob;
                try
                {
                    if (!reader.Read()) yield break;
                    blob = reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0);
                }
                catch (SqliteException e)
                {
                    throw new RpmDatabaseFormatException($"rpmdb.sqlite is corrupt: {e.Message}", e);
                }
                if (blob is not null) yield return blob;
            }
        }
    }
}

using System.Buffers.Binary;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Rpm;
using SupplyChainMesh.Analysis.Tests.Alpine;

namespace SupplyChainMesh.Analysis.Tests.Rpm;

/// <summary>Damaged and hostile databases, made by corrupting the real fixtures: errors and problems, never a crash or hang.</summary>
[Collection(RpmFixtures.SpoolCollection)]
public class RpmDatabaseHostileTests
{
    private const int PageSize = 4096;

    /// <summary>rhel8-libuuid/Packages: one header on an overflow chain of pages 3 to 22.</summary>
    private static byte[] Libuuid() => File.ReadAllBytes(Path.Combine(RpmFixtures.Root, "rhel8-libuuid", "Packages"));

    [Fact]
    public void Intact_berkeley_db_reads_its_one_package()
    {
        var (headers, problems, error) = Read(Libuuid());
        Assert.Null(error);
        Assert.Empty(problems);
        Assert.Equal("libuuid", Assert.Single(headers).Name);
        Assert.Contains("usr/lib64/libuuid.so.1", headers[0].Files);
    }

    [Fact]
    public void Overflow_chain_that_loops_back_is_reported_and_ends()
    {
        var db = Libuuid();
        // Last overflow page points back at the first, and the item claims the whole file as its length.
        BinaryPrimitives.WriteUInt32LittleEndian(db.AsSpan((22 * PageSize) + 16), 3);
        SetOffPageLength(db, (uint)db.Length);

        var (headers, problems, error) = Read(db);

        Assert.Null(error);
        Assert.Empty(headers);
        Assert.Contains(problems, p => p.Contains("loops", StringComparison.Ordinal));
    }

    [Fact]
    public void Overflow_page_pointing_at_itself_is_reported_and_ends()
    {
        var db = Libuuid();
        BinaryPrimitives.WriteUInt32LittleEndian(db.AsSpan((3 * PageSize) + 16), 3);

        var (headers, problems, error) = Read(db);

        Assert.Null(error);
        Assert.Empty(headers);
        Assert.Single(problems);
    }

    [Fact]
    public void Overflow_chain_leaving_the_file_is_reported()
    {
        var db = Libuuid();
        BinaryPrimitives.WriteUInt32LittleEndian(db.AsSpan((10 * PageSize) + 16), 0xFFFF_FFF0);

        var (headers, problems, _) = Read(db);

        Assert.Empty(headers);
        Assert.Contains(problems, p => p.Contains("points at page", StringComparison.Ordinal));
    }

    [Fact]
    public void Truncated_berkeley_db_reads_what_is_there_and_says_so()
    {
        var db = Libuuid()[..(12 * PageSize)];

        var (headers, problems, error) = Read(db);

        Assert.Null(error);
        Assert.Empty(headers);
        Assert.Contains(problems, p => p.Contains("truncated", StringComparison.Ordinal));
    }

    [Fact]
    public void Hash_page_with_an_impossible_item_count_is_skipped()
    {
        var db = Libuuid();
        BinaryPrimitives.WriteUInt16LittleEndian(db.AsSpan(PageSize + 20), 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(db.AsSpan((2 * PageSize) + 20), 0xFFFE);

        var (headers, problems, error) = Read(db);

        Assert.Null(error);
        Assert.Empty(headers);
        Assert.Equal(2, problems.Count);
    }

    [Theory]
    [InlineData(20, 1000u, "page size")]
    [InlineData(20, 0u, "page size")]
    [InlineData(12, 0xDEADBEEFu, "not an rpm database")]
    public void Broken_metadata_page_is_a_typed_error(int offset, uint value, string reason)
    {
        var db = Libuuid();
        BinaryPrimitives.WriteUInt32LittleEndian(db.AsSpan(offset), value);

        var (_, _, error) = Read(db);

        Assert.NotNull(error);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Big_endian_berkeley_db_is_read_too()
    {
        // Same database with every field libdb byte-swaps on a big-endian host swapped.
        var db = Libuuid();
        foreach (var offset in new[] { 12, 16, 20, 32 }) Swap32(db, offset);
        for (var page = 1; page <= 22; page++)
        {
            var at = page * PageSize;
            foreach (var offset in new[] { 8, 12, 16 }) Swap32(db, at + offset);
            var entries = BinaryPrimitives.ReadUInt16LittleEndian(db.AsSpan(at + 20));
            Swap16(db, at + 20);
            Swap16(db, at + 22);
            if (db[at + 25] != 13) continue;
            for (var i = 0; i < entries; i++)
            {
                var item = BinaryPrimitives.ReadUInt16LittleEndian(db.AsSpan(at + 26 + (i * 2)));
                Swap16(db, at + 26 + (i * 2));
                if (db[at + item] == 3) { Swap32(db, at + item + 4); Swap32(db, at + item + 8); }
            }
        }

        var (headers, problems, error) = Read(db);

        Assert.Null(error);
        Assert.Empty(problems);
        Assert.Equal("libuuid", Assert.Single(headers).Name);
    }

    [Fact]
    public void Ndb_slot_pointing_outside_the_file_and_bad_slot_count_are_handled()
    {
        var ndb = File.ReadAllBytes(Path.Combine(RpmFixtures.Root, "sle15-bci-minimal-15.3", "Packages.db"));
        var intact = Read(ndb).Headers.Count;
        // First used slot: block offset far past the end.
        var slot = 32;
        while (BinaryPrimitives.ReadUInt32LittleEndian(ndb.AsSpan(slot + 4)) == 0) slot += 16;
        BinaryPrimitives.WriteUInt32LittleEndian(ndb.AsSpan(slot + 8), 0x7FFF_FFFF);

        var (headers, problems, error) = Read(ndb);

        Assert.Null(error);
        Assert.Equal(intact - 1, headers.Count);
        Assert.Contains(problems, p => p.Contains("outside the data area", StringComparison.Ordinal));

        BinaryPrimitives.WriteUInt32LittleEndian(ndb.AsSpan(12), 0x00FF_FFFF);
        Assert.Contains("slot pages", Read(ndb).Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_corruption_of_berkeley_db_and_ndb_never_throws_anything_untyped()
    {
        var random = new Random(7);
        var sources = new[]
        {
            Libuuid(),
            File.ReadAllBytes(Path.Combine(RpmFixtures.Root, "custom-epoch", "Packages_epoch")),
            File.ReadAllBytes(Path.Combine(RpmFixtures.Root, "sle15-bci-minimal-15.3", "Packages.db"))[..(256 * 1024)],
        };
        for (var round = 0; round < 150; round++)
        {
            var db = (byte[])sources[round % sources.Length].Clone();
            for (var flips = random.Next(1, 40); flips > 0; flips--)
            {
                // Page and slot headers hold the pointers: hit them often.
                var at = random.Next(3) == 0 ? (random.Next(db.Length / PageSize) * PageSize) + random.Next(32) : random.Next(db.Length);
                db[at] = (byte)random.Next(256);
            }
            _ = Read(db); // Read lets only RpmDatabaseFormatException through
        }
    }

    [Fact]
    public async Task Detector_reports_garbage_and_an_empty_sqlite_as_problems()
    {
        var detector = new RpmPackageDetector();
        var sink = new RecordingSink();
        var garbage = new byte[8192];
        new Random(1).NextBytes(garbage);

        await detector.DetectAsync(new LayerFile("var/lib/rpm/Packages", garbage.Length, 0x1A4), new MemoryStream(garbage), sink, CancellationToken.None);

        var problem = Assert.Single(sink.Problems);
        Assert.Equal("var/lib/rpm/Packages", problem.Path);
        Assert.Contains("not an rpm database", problem.Reason, StringComparison.Ordinal);

        // A valid SQLite file without rpm's table.
        var empty = Path.Combine(Path.GetTempPath(), $"scm-empty-{Guid.NewGuid():N}.sqlite");
        try
        {
            using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={empty};Pooling=False"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "CREATE TABLE Other(x)";
                command.ExecuteNonQuery();
            }
            var bytes = await File.ReadAllBytesAsync(empty);
            sink.Problems.Clear();
            await detector.DetectAsync(new LayerFile("var/lib/rpm/rpmdb.sqlite", bytes.Length, 0x1A4), new MemoryStream(bytes), sink, CancellationToken.None);
            Assert.Contains("no such table", Assert.Single(sink.Problems).Reason, StringComparison.Ordinal);
            Assert.Empty(sink.Packages);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(4096)]
    [InlineData(1_000_000)]
    public async Task Detector_reports_a_truncated_sqlite_database_as_a_problem(int keep)
    {
        using var copy = RpmFixtures.Copy(Path.Combine("amazonlinux-2023", "rpmdb.sqlite"));
        var bytes = (await File.ReadAllBytesAsync(copy.Path))[..keep];
        var sink = new RecordingSink();

        await new RpmPackageDetector().DetectAsync(new LayerFile("var/lib/rpm/rpmdb.sqlite", bytes.Length, 0x1A4), new MemoryStream(bytes), sink, CancellationToken.None);

        var problem = Assert.Single(sink.Problems);
        Assert.Equal("var/lib/rpm/rpmdb.sqlite", problem.Path);
        Assert.Contains("rpmdb.sqlite", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detector_leaves_no_temporary_file_behind()
    {
        var before = Directory.GetFiles(Path.GetTempPath(), "scm-rpmdb-*").ToHashSet();
        using var copy = RpmFixtures.Copy(Path.Combine("amazonlinux-2023", "rpmdb.sqlite"));
        var bytes = await File.ReadAllBytesAsync(copy.Path);
        var sink = new SpoolWatchingSink(before);

        await new RpmPackageDetector().DetectAsync(new LayerFile("var/lib/rpm/rpmdb.sqlite", bytes.Length, 0x1A4), new MemoryStream(bytes), sink, CancellationToken.None);

        Assert.NotEmpty(sink.Packages);
        Assert.DoesNotContain(sink.Packages, p => p.Name == "gpg-pubkey");
        // While packages were reported the spool (and nothing else, no -shm/-wal) existed; now it is gone.
        Assert.Single(sink.SpoolFiles);
        Assert.All(sink.SpoolFiles, f => Assert.False(File.Exists(f), f));
    }

    private sealed class SpoolWatchingSink(HashSet<string> before) : IDetectionSink
    {
        private readonly RecordingSink _inner = new();

        public List<Analysis.Packages.Package> Packages => _inner.Packages;

        public HashSet<string> SpoolFiles { get; } = [];

        public void Package(Analysis.Packages.Package package)
        {
            if (_inner.Packages.Count == 0)
                SpoolFiles.UnionWith(Directory.GetFiles(Path.GetTempPath(), "scm-rpmdb-*").Where(f => !before.Contains(f)));
            _inner.Package(package);
        }

        public void Distribution(Analysis.Distributions.Distribution distribution, string path) { }

        public void OwnedFile(string path) { }

        public void Problem(string path, string reason) => _inner.Problem(path, reason);
    }

    private static (List<RpmHeader> Headers, List<string> Problems, RpmDatabaseFormatException? Error) Read(byte[] db)
    {
        var path = Path.Combine(Path.GetTempPath(), $"scm-hostile-{Guid.NewGuid():N}");
        File.WriteAllBytes(path, db);
        var headers = new List<RpmHeader>();
        var problems = new List<string>();
        try
        {
            foreach (var header in RpmDatabase.ReadHeaders(path, problems.Add)) headers.Add(header);
            return (headers, problems, null);
        }
        catch (RpmDatabaseFormatException e)
        {
            return (headers, problems, e);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Sets the total length of the H_OFFPAGE item on the hash pages.</summary>
    private static void SetOffPageLength(byte[] db, uint length)
    {
        for (var page = 1; page <= 2; page++)
        {
            var at = page * PageSize;
            var entries = BinaryPrimitives.ReadUInt16LittleEndian(db.AsSpan(at + 20));
            for (var i = 1; i < entries; i += 2)
            {
                var item = BinaryPrimitives.ReadUInt16LittleEndian(db.AsSpan(at + 26 + (i * 2)));
                if (db[at + item] == 3) BinaryPrimitives.WriteUInt32LittleEndian(db.AsSpan(at + item + 8), length);
            }
        }
    }

    private static void Swap32(byte[] db, int offset) =>
        BinaryPrimitives.WriteUInt32BigEndian(db.AsSpan(offset), BinaryPrimitives.ReadUInt32LittleEndian(db.AsSpan(offset)));

    private static void Swap16(byte[] db, int offset) =>
        BinaryPrimitives.WriteUInt16BigEndian(db.AsSpan(offset), BinaryPrimitives.ReadUInt16LittleEndian(db.AsSpan(offset)));
}

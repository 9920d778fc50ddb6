using System.Buffers.Binary;
using SupplyChainMesh.Analysis.Rpm;

namespace SupplyChainMesh.Analysis.Tests.Rpm;

public class RpmHeaderParserTests
{
    /// <summary>Real header blobs: every package of the CBL-Mariner 2.0 rpmdb.sqlite.</summary>
    private static List<byte[]> RealBlobs()
    {
        using var copy = RpmFixtures.Copy(Path.Combine("cbl-mariner-2.0", "rpmdb.sqlite"));
        return SqlitePackagesReader.ReadBlobs(copy.Path).ToList();
    }

    [Fact]
    public void Real_header_yields_name_version_files_and_licence()
    {
        var blobs = RealBlobs();
        var headers = blobs.Select(b => RpmHeaderParser.TryParse(b, includeFiles: true, out var h, out _) ? h : null).ToList();

        Assert.All(headers, Assert.NotNull);
        var glibc = Assert.Single(headers, h => h!.Name == "glibc")!;
        Assert.Equal("2.34", glibc.Version);
        Assert.Equal("x86_64", glibc.Arch);
        Assert.False(string.IsNullOrEmpty(glibc.License));
        Assert.Contains("lib64/libc.so.6", glibc.Files);
        Assert.All(glibc.Files, f => Assert.False(f.StartsWith('/')));
        Assert.Null(glibc.FileListProblem);
    }

    [Fact]
    public void Header_file_magic_prefix_is_accepted()
    {
        var blob = RealBlobs()[0];
        byte[] prefixed = [0x8E, 0xAD, 0xE8, 0x01, 0, 0, 0, 0, .. blob];

        Assert.True(RpmHeaderParser.TryParse(blob, true, out var plain, out _));
        Assert.True(RpmHeaderParser.TryParse(prefixed, true, out var withMagic, out _));
        Assert.Equal(plain.EpochVersionRelease, withMagic.EpochVersionRelease);
        Assert.Equal(plain.Files, withMagic.Files);
    }

    [Fact]
    public void Every_truncation_of_a_real_blob_is_an_error_not_an_exception()
    {
        var blob = RealBlobs().First(b => b.Length > 2000);
        for (var length = 0; length < blob.Length; length += length < 64 ? 1 : 97)
        {
            var ok = RpmHeaderParser.TryParse(blob.AsSpan(0, length), true, out _, out var error);
            Assert.False(ok, $"truncated to {length} bytes it still parsed");
            Assert.False(string.IsNullOrEmpty(error));
        }
    }

    [Theory]
    [InlineData(0, 10, "index entries")]
    [InlineData(-1, 10, "index entries")]
    [InlineData(0x7FFF_FFFF, 10, "index entries")]
    [InlineData(1, -5, "out of range")]
    [InlineData(1, 0x7FFF_FFFF, "out of range")]
    [InlineData(60_000, 10, "needs")]
    public void Bogus_counts_are_rejected(int indexCount, int dataLength, string reason)
    {
        var blob = new byte[64];
        BinaryPrimitives.WriteInt32BigEndian(blob, indexCount);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4), dataLength);

        Assert.False(RpmHeaderParser.TryParse(blob, true, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Entry_offset_outside_the_data_store_and_unterminated_strings_are_rejected()
    {
        var outside = Build((1000, 6, 100, 1), data: "name\0"u8.ToArray());
        Assert.False(RpmHeaderParser.TryParse(outside, true, out _, out var error));
        Assert.Contains("outside", error, StringComparison.Ordinal);

        var unterminated = Build((1000, 6, 0, 1), data: "name"u8.ToArray());
        Assert.False(RpmHeaderParser.TryParse(unterminated, true, out _, out error));
        Assert.Contains("runs past", error, StringComparison.Ordinal);

        var noVersion = Build((1000, 6, 0, 1), data: "name\0"u8.ToArray());
        Assert.False(RpmHeaderParser.TryParse(noVersion, true, out _, out error));
        Assert.Contains("no VERSION", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Minimal_header_with_epoch_and_a_lying_file_list_keeps_the_package_and_drops_the_files()
    {
        var data = new List<byte>();
        int Add(byte[] bytes) { var at = data.Count; data.AddRange(bytes); return at; }
        var name = Add("hello\0"u8.ToArray());
        var version = Add("1.0\0"u8.ToArray());
        var release = Add("3.fc40\0"u8.ToArray());
        while (data.Count % 4 != 0) data.Add(0);
        var epoch = Add([0, 0, 0, 2]);
        var dirIndex = Add([0, 0, 0, 7]); // directory 7 of 1
        var baseName = Add("hello\0"u8.ToArray());
        var dirName = Add("/usr/bin/\0"u8.ToArray());
        (int, uint, int, uint)[] entries =
            [(1000, 6, name, 1), (1001, 6, version, 1), (1002, 6, release, 1), (1003, 4, epoch, 1),
             (1116, 4, dirIndex, 1), (1117, 8, baseName, 1), (1118, 8, dirName, 1)];

        Assert.True(RpmHeaderParser.TryParse(Build(entries, [.. data]), true, out var header, out _));
        Assert.Equal("2:1.0-3.fc40", header.EpochVersionRelease);
        Assert.Empty(header.Files);
        Assert.Contains("directory index 7", header.FileListProblem, StringComparison.Ordinal);

        data[dirIndex + 3] = 0;
        Assert.True(RpmHeaderParser.TryParse(Build(entries, [.. data]), true, out header, out _));
        Assert.Equal(["usr/bin/hello"], header.Files);
        Assert.Null(header.FileListProblem);
    }

    [Fact]
    public void Huge_string_array_count_is_a_file_list_problem_not_an_allocation()
    {
        var data = "n\0v\0r\0/\0"u8.ToArray();
        var blob = Build(
            [(1000, 6, 0, 1), (1001, 6, 2, 1), (1002, 6, 4, 1),
             (1116, 4, 0, 0x7FFF_FFFF), (1117, 8, 6, 0x7FFF_FFFF), (1118, 8, 6, 1)],
            data);

        Assert.True(RpmHeaderParser.TryParse(blob, true, out var header, out _));
        Assert.Empty(header.Files);
        Assert.NotNull(header.FileListProblem);
    }

    [Fact]
    public void Random_corruption_of_real_blobs_never_throws()
    {
        var random = new Random(20261129);
        var blobs = RealBlobs();
        for (var round = 0; round < 3000; round++)
        {
            var blob = (byte[])blobs[random.Next(blobs.Count)].Clone();
            // Corrupt the preamble and index, where offsets and counts live, more often than the data.
            for (var flips = random.Next(1, 8); flips > 0; flips--)
            {
                var at = random.Next(2) == 0 ? random.Next(Math.Min(blob.Length, 8 + (16 * 40))) : random.Next(blob.Length);
                blob[at] = (byte)random.Next(256);
            }
            var ok = RpmHeaderParser.TryParse(blob, true, out var header, out var error);
            Assert.True(ok ? header is not null : error is not null);
        }
    }

    private static byte[] Build((int Tag, uint Type, int Offset, uint Count) entry, byte[] data) => Build([entry], data);

    private static byte[] Build((int Tag, uint Type, int Offset, uint Count)[] entries, byte[] data)
    {
        var blob = new byte[8 + (entries.Length * 16) + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(blob, entries.Length);
        BinaryPrimitives.WriteInt32BigEndian(blob.AsSpan(4), data.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            var at = blob.AsSpan(8 + (i * 16));
            BinaryPrimitives.WriteInt32BigEndian(at, entries[i].Tag);
            BinaryPrimitives.WriteUInt32BigEndian(at[4..], entries[i].Type);
            BinaryPrimitives.WriteInt32BigEndian(at[8..], entries[i].Offset);
            BinaryPrimitives.WriteUInt32BigEndian(at[12..], entries[i].Count);
        }
        data.CopyTo(blob.AsSpan(8 + (entries.Length * 16)));
        return blob;
    }
}

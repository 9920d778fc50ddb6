using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;
using CsCheck;
using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Analysis.Tests.Layers;

/// <summary>
/// The layer reader's own tar walk (<see cref="TarHeaderReader"/>): every header format System.Formats.Tar writes reads
/// back the same, as a seekable plain tar, a forward-only one and a gzip; hostile headers end as typed errors.
/// </summary>
public sealed class TarHeaderReaderTests
{
    private const string LongDirectory =
        "usr/lib/python3/dist-packages/a-package-with-a-rather-long-name-1.0.0.dist-info/and-a-deeper-directory-still";

    [Theory]
    [InlineData(TarEntryFormat.V7)]
    [InlineData(TarEntryFormat.Ustar)]
    [InlineData(TarEntryFormat.Pax)]
    [InlineData(TarEntryFormat.Gnu)]
    public async Task Every_header_format_reads_back_names_links_modes_and_data(TarEntryFormat format)
    {
        var names = format == TarEntryFormat.V7
            ? new[] { "etc/a.txt", "bin/tool" }
            : [$"{LongDirectory}/METADATA", $"{LongDirectory}/tool", "etc/short.txt"];
        var tar = Write(format, writer =>
        {
            writer.WriteEntry(Entry(format, TarEntryType.Directory, "etc/"));
            for (var i = 0; i < names.Length; i++)
                writer.WriteEntry(File(format, names[i], Encoding.UTF8.GetBytes($"content {i}\n" + new string('x', i * 700)),
                    i == 1 ? UnixFileMode.UserExecute | UnixFileMode.UserRead : UnixFileMode.UserRead));
            var link = Entry(format, TarEntryType.HardLink, "etc/link");
            link.LinkName = names[^1];
            writer.WriteEntry(link);
        });

        foreach (var blob in new[] { tar, TestLayer.Compress(tar) })
        {
            foreach (var seekable in new[] { true, false })
            {
                var (analysis, seen) = await ReadAllAsync(blob, seekable);
                Assert.Equal(names, seen.Select(s => s.Path));
                Assert.Equal(names.Select((_, i) => $"content {i}\n" + new string('x', i * 700)), seen.Select(s => s.Text));
                Assert.Equal(names.Select((_, i) => i == 1), seen.Select(s => s.Executable));
                Assert.Equal(names.Length + 2, analysis.Stats.Entries);
                Assert.Equal(tar.Length, analysis.Stats.UncompressedBytes);
                Assert.Equal(blob.Length, analysis.Stats.CompressedBytes);
                Assert.Empty(analysis.Problems);
            }
        }
    }

    [Fact]
    public async Task Pax_path_and_size_records_override_the_header()
    {
        var data = Encoding.UTF8.GetBytes("left-pad 1.3.0\n");
        var tar = Concat(
            PaxHeader($"path={LongDirectory}/x.pkg", $"size={data.Length}"),
            Header("ignored-name", size: 999_999, type: (byte)'0'),
            Pad(data),
            new byte[1024]);

        var (analysis, seen) = await ReadAllAsync(tar, seekable: false);

        Assert.Equal($"{LongDirectory}/x.pkg", Assert.Single(seen).Path);
        Assert.Equal("left-pad 1.3.0\n", seen[0].Text);
        Assert.Equal(1, analysis.Stats.Entries);
    }

    [Fact]
    public async Task A_global_pax_header_is_an_entry_of_its_own_and_not_applied()
    {
        var tar = Concat(
            PaxHeader((byte)'g', "path=elsewhere/evil.pkg"),
            Header("app/a.pkg", size: 4, type: (byte)'0'),
            Pad("a 1\n"u8.ToArray()),
            new byte[1024]);

        var (analysis, seen) = await ReadAllAsync(tar, seekable: true);

        Assert.Equal(["app/a.pkg"], seen.Select(s => s.Path));
        Assert.Equal(2, analysis.Stats.Entries);
    }

    [Fact]
    public async Task A_base_256_size_is_read()
    {
        var data = "b 2\n"u8.ToArray();
        var header = Header("b.pkg", size: 0, type: (byte)'0');
        header.AsSpan(TarSizeOffset, 12).Clear();
        header[TarSizeOffset] = 0x80;
        header[TarSizeOffset + 11] = (byte)data.Length;
        FixChecksum(header);

        var (_, seen) = await ReadAllAsync(Concat(header, Pad(data), new byte[1024]), seekable: false);

        Assert.Equal("b 2\n", Assert.Single(seen).Text);
    }

    public static TheoryData<string, string> HostileHeaders() => new()
    {
        { "bad checksum", "checksum" },
        { "negative base-256 size", "negative size" },
        { "base-256 size past long", "overflows" },
        { "size not octal", "not an octal number" },
        { "huge size, short data", "truncated" },
        { "truncated header", "ends inside a header" },
        { "PAX length past the data", "PAX extended header record claims" },
        { "PAX length not a number", "malformed length" },
        { "PAX record without =", "key=value" },
        { "PAX size not a number", "PAX size record" },
        { "PAX header of 2 MiB", "larger than" },
        { "GNU long name of 2 MiB", "larger than" },
        { "GNU sparse file", "sparse" },
        { "directory with data", "cannot have" },
        { "tar cut inside a long name", "truncated" },
    };

    [Theory]
    [MemberData(nameof(HostileHeaders))]
    public async Task A_hostile_header_fails_with_LayerFormatException(string kind, string expected)
    {
        var good = Header("a.pkg", size: 4, type: (byte)'0');
        var tar = kind switch
        {
            "bad checksum" => Concat(Corrupt(good, 10), Pad("a 1\n"u8.ToArray()), new byte[1024]),
            "negative base-256 size" => Concat(WithSize(good, [0xff, .. Enumerable.Repeat((byte)0xff, 11)]), new byte[1024]),
            "base-256 size past long" => Concat(WithSize(good, [0x80, .. Enumerable.Repeat((byte)0xff, 11)]), new byte[1024]),
            "size not octal" => Concat(WithSize(good, "0000000009a\0"u8.ToArray()), new byte[1024]),
            "huge size, short data" => Concat(WithSize(good, "77777777777\0"u8.ToArray()), Pad("a 1\n"u8.ToArray()), new byte[1024]),
            "truncated header" => good[..300],
            "PAX length past the data" => Concat(PaxRaw("99 path=x\n"u8.ToArray()), good, Pad("a 1\n"u8.ToArray()), new byte[1024]),
            "PAX length not a number" => Concat(PaxRaw("1x path=x\n"u8.ToArray()), good, Pad("a 1\n"u8.ToArray()), new byte[1024]),
            "PAX record without =" => Concat(PaxRaw("11 pathxyz\n"u8.ToArray()), good, Pad("a 1\n"u8.ToArray()), new byte[1024]),
            "PAX size not a number" => Concat(PaxHeader("size=-4"), good, Pad("a 1\n"u8.ToArray()), new byte[1024]),
            "PAX header of 2 MiB" => Concat(Header("pax", size: 2 << 20, type: (byte)'x'), new byte[2 << 20], good, new byte[1024]),
            "GNU long name of 2 MiB" => Concat(Header("././@LongLink", size: 2 << 20, type: (byte)'L'), new byte[2 << 20], good, new byte[1024]),
            "GNU sparse file" => Concat(Header("sparse.pkg", size: 0, type: (byte)'S'), new byte[1024]),
            "directory with data" => Concat(Header("dir/", size: 4, type: (byte)'5'), Pad("a 1\n"u8.ToArray()), new byte[1024]),
            "tar cut inside a long name" => Concat(Header("././@LongLink", size: 300, type: (byte)'L'), new byte[100]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        foreach (var blob in new[] { tar, TestLayer.Compress(tar) })
        {
            foreach (var seekable in new[] { true, false })
            {
                var error = await Assert.ThrowsAsync<LayerFormatException>(() => ReadAllAsync(blob, seekable));
                Assert.Contains(expected, error.Message, StringComparison.Ordinal);
                Assert.Equal("sha256:test", error.LayerDigest);
            }
        }
    }

    [Fact]
    public async Task A_size_past_the_layer_limit_fails_with_LayerTooLargeException_even_when_seeking()
    {
        var tar = Concat(WithSize(Header("a.bin", size: 0, type: (byte)'0'), "77777777777\0"u8.ToArray()), new byte[1024]);
        var reader = new LayerReader([new RecordAllDetector()], new LayerAnalysisOptions { MaxUncompressedBytes = 1 << 30 });

        // Seeking is checked against the limit before it moves; reading forward finds the end of the data first.
        var error = await Assert.ThrowsAsync<LayerTooLargeException>(() => reader.ReadAsync("sha256:test", Open(tar, seekable: true), default));
        Assert.Contains("MaxUncompressedBytes", error.Message, StringComparison.Ordinal);
        var truncated = await Assert.ThrowsAsync<LayerFormatException>(() => reader.ReadAsync("sha256:test", Open(tar, seekable: false), default));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
    }

    /// <summary>Reading the blob on a second thread (many small buffers handed over) finds exactly what one thread finds.</summary>
    [Theory]
    [InlineData("gzip")]
    [InlineData("forward-only tar")]
    public async Task Prefetching_on_a_second_thread_changes_nothing(string kind)
    {
        var layer = new TestLayer();
        for (var i = 0; i < 200; i++)
        {
            layer.File($"d{i % 7}/f{i}.pkg", $"p{i} {i}.0\n" + new string('#', i * 97 % 5000));
            layer.File($"d{i % 7}/skip{i}.bin", new byte[i * 131 % 9000]);
        }
        var tar = layer.Tar();
        var blob = kind == "gzip" ? TestLayer.Compress(tar) : tar;

        async Task<string> ReadAsync(bool prefetch, int bufferSize)
        {
            var options = new LayerAnalysisOptions { PrefetchOnOwnThread = prefetch, BufferSize = bufferSize };
            var analysis = await new LayerReader([new LinePackageDetector()], options).ReadAsync("sha256:test", Open(blob, seekable: false), default);
            Assert.Equal(200, analysis.Packages.Count);
            return AnalysisJson.Serialize(analysis);
        }

        var expected = await ReadAsync(prefetch: false, 256 << 10);
        Assert.Equal(expected, await ReadAsync(prefetch: true, 256 << 10));
        Assert.Equal(expected, await ReadAsync(prefetch: true, 4096));
    }

    [Fact]
    public async Task With_prefetching_a_truncated_or_corrupt_gzip_still_fails_typed()
    {
        var layer = new TestLayer();
        for (var i = 0; i < 50; i++) layer.File($"f{i}.pkg", $"p{i} 1.0\n" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3000)));
        var blob = layer.Gzip();
        var corrupt = (byte[])blob.Clone();
        for (var i = 0; i < 64; i++) corrupt[corrupt.Length / 2 + i] ^= 0x5a;
        var reader = new LayerReader([new LinePackageDetector()], new LayerAnalysisOptions { PrefetchOnOwnThread = true, BufferSize = 4096 });

        var truncated = await Assert.ThrowsAsync<LayerFormatException>(() => reader.ReadAsync("sha256:test", Open(blob[..(blob.Length / 2)], false), default));
        Assert.Contains("truncated", truncated.Message, StringComparison.Ordinal);
        // Corrupt deflate data may inflate to garbage before the CRC check: then a tar header is what fails first.
        var broken = await Assert.ThrowsAsync<LayerFormatException>(() => reader.ReadAsync("sha256:test", Open(corrupt, false), default));
        Assert.Matches("corrupt gzip|malformed tar", broken.Message);
    }

    /// <summary>
    /// Random byte changes in the headers of a real-shaped tar (checksums fixed up half the time, so the parser gets
    /// past them): the walk either reads a layer or fails with a typed error, and always ends.
    /// </summary>
    [Fact]
    public void Mutated_headers_read_or_fail_typed_never_crash()
    {
        var tar = Write(TarEntryFormat.Pax, writer =>
        {
            writer.WriteEntry(File(TarEntryFormat.Pax, $"{LongDirectory}/a.pkg", "a 1\n"u8.ToArray(), UnixFileMode.UserRead));
            writer.WriteEntry(File(TarEntryFormat.Pax, "b.pkg", "b 2\n"u8.ToArray(), UnixFileMode.UserRead));
        });
        var headerOffsets = Enumerable.Range(0, tar.Length / 512).Select(i => i * 512)
            .Where(o => tar.AsSpan(o, 512).ContainsAnyExcept((byte)0)).ToArray();

        Gen.Select(Gen.Int[0, headerOffsets.Length - 1], Gen.Int[0, 511], Gen.Byte, Gen.Bool).Array[1, 6]
            .Sample(mutations =>
            {
                var copy = (byte[])tar.Clone();
                foreach (var (header, offset, value, fixChecksum) in mutations)
                {
                    copy[headerOffsets[header] + offset] = value;
                    if (fixChecksum) FixChecksum(copy.AsSpan(headerOffsets[header], 512));
                }
                var reader = new LayerReader([new RecordAllDetector()], new LayerAnalysisOptions { MaxUncompressedBytes = 64 << 20 });
                try
                {
                    reader.Read("sha256:fuzz", Open(copy, seekable: mutations.Length % 2 == 0), CancellationToken.None);
                }
                catch (LayerAnalysisException)
                {
                    // A typed error is the expected end of a broken layer.
                }
            }, iter: 2000);
    }

    private static async Task<(LayerAnalysis Analysis, List<(string Path, string Text, bool Executable)> Seen)> ReadAllAsync(
        byte[] blob, bool seekable)
    {
        var detector = new RecordAllDetector();
        var analysis = await new LayerReader([detector]).ReadAsync("sha256:test", Open(blob, seekable), default);
        return (analysis, detector.Seen);
    }

    private static Stream Open(byte[] blob, bool seekable) =>
        seekable ? new MemoryStream(blob, writable: false) : new ForwardOnlyStream(blob);

    private static byte[] Write(TarEntryFormat format, Action<TarWriter> write)
    {
        var output = new MemoryStream();
        using (var writer = new TarWriter(output, format, leaveOpen: true)) write(writer);
        return output.ToArray();
    }

    private static TarEntry Entry(TarEntryFormat format, TarEntryType type, string name) => format switch
    {
        TarEntryFormat.V7 => new V7TarEntry(type == TarEntryType.RegularFile ? TarEntryType.V7RegularFile : type, name),
        TarEntryFormat.Ustar => new UstarTarEntry(type, name),
        TarEntryFormat.Gnu => new GnuTarEntry(type, name),
        _ => new PaxTarEntry(type, name),
    };

    private static TarEntry File(TarEntryFormat format, string name, byte[] content, UnixFileMode mode)
    {
        var entry = Entry(format, TarEntryType.RegularFile, name);
        entry.DataStream = new MemoryStream(content);
        entry.Mode = mode;
        return entry;
    }

    private const int TarSizeOffset = 124;

    /// <summary>A ustar header with a valid checksum.</summary>
    private static byte[] Header(string name, long size, byte type)
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        "0000644\0"u8.CopyTo(header.AsSpan(100));
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, TarSizeOffset);
        header[156] = type;
        "ustar\u000000"u8.CopyTo(header.AsSpan(257));
        FixChecksum(header);
        return header;
    }

    private static byte[] WithSize(byte[] header, byte[] sizeField)
    {
        var copy = (byte[])header.Clone();
        sizeField.CopyTo(copy, TarSizeOffset);
        FixChecksum(copy);
        return copy;
    }

    private static byte[] Corrupt(byte[] header, int offset)
    {
        var copy = (byte[])header.Clone();
        copy[offset] ^= 0x20;
        return copy;
    }

    private static void FixChecksum(Span<byte> header)
    {
        header.Slice(148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in header) sum += b;
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header[148..]);
    }

    private static byte[] PaxHeader(params string[] records) => PaxHeader((byte)'x', records);

    private static byte[] PaxHeader(byte type, params string[] records)
    {
        var data = new StringBuilder();
        foreach (var record in records)
        {
            // The length counts itself: grow it until it is stable.
            var length = record.Length + 3;
            while ($"{length} {record}\n".Length != length) length = $"{length} {record}\n".Length;
            data.Append(FormattableString.Invariant($"{length} {record}\n"));
        }
        return PaxRaw(Encoding.UTF8.GetBytes(data.ToString()), type);
    }

    private static byte[] PaxRaw(byte[] data, byte type = (byte)'x') => Concat(Header("PaxHeaders/x", data.Length, type), Pad(data));

    private static byte[] Pad(byte[] data)
    {
        var padded = new byte[(data.Length + 511) / 512 * 512];
        data.CopyTo(padded, 0);
        return padded;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Wants every file; records its path, text and whether it is executable.</summary>
    private sealed class RecordAllDetector : IPackageDetector
    {
        public List<(string Path, string Text, bool Executable)> Seen { get; } = [];
        public string Name => "all";
        public int Version => 1;
        public bool Wants(in LayerFile file) => true;

        public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
        {
            using var reader = new StreamReader(content, Encoding.UTF8);
            Seen.Add((file.Path, await reader.ReadToEndAsync(cancellationToken), file.IsExecutable));
        }
    }

    /// <summary>A plain tar that cannot seek (a pipe, a verified download).</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data, writable: false)
    {
        public override bool CanSeek => false;
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    }
}

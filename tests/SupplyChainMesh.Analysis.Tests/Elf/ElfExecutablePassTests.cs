using System.Buffers.Binary;
using System.Text;
using SupplyChainMesh.Analysis.Elf;
using SupplyChainMesh.Analysis.Go;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Rust;
using SupplyChainMesh.Analysis.Tests.LanguageDetection;
using SupplyChainMesh.Analysis.Tests.Layers;
using SupplyChainMesh.Analysis.Tests.Rust;

namespace SupplyChainMesh.Analysis.Tests.Elf;

// ELF files laid out as a linker writes them: header and program headers, one loaded segment, then the sections that
// are not loaded (.dep-v0, .shstrtab) and the section header table at the end.
public class ElfExecutablePassTests
{
    private const string DependencyJson = """{"packages":[{"name":"demo","version":"0.1.0","source":"local","root":true},{"name":"adler","version":"1.0.2","source":"crates.io"}]}""";
    private const int LoadedBytes = 3 * 1024 * 1024;

    [Fact]
    public async Task Go_and_rust_detectors_share_one_pass_through_the_layer_reader()
    {
        var executable = Executable(LoadedBytes, depV0Loaded: false);
        var blob = new TestLayer().File("usr/local/bin/demo", executable, (UnixFileMode)0b111_101_101).Gzip();
        var reader = new LayerReader([new GoBinaryDetector(), new CargoAuditableDetector()]);

        var analysis = await reader.ReadAsync(TestLayer.Source(blob), CancellationToken.None);

        Assert.Empty(analysis.Problems);
        Assert.Equal(["adler@1.0.2", "demo@0.1.0"], analysis.Packages.Select(p => $"{p.Name}@{p.Version}").Order(StringComparer.Ordinal));
        Assert.All(analysis.Packages, p => Assert.Equal("rustbinary", p.Detector));
    }

    [Fact]
    public async Task Keeps_the_header_and_the_unloaded_tail_but_not_the_loaded_segment()
    {
        var executable = Executable(LoadedBytes, depV0Loaded: false);
        await using var stream = new ForwardOnlyStream(new MemoryStream(executable));

        using var scan = await ElfExecutablePass.ReadAsync(stream, executable.Length, ElfPassNeeds.GoBuildInfo | ElfPassNeeds.UnloadedSections, default);

        Assert.True(scan.IsElf);
        Assert.Equal(GoBuildInfoReader.Outcome.NotGo, scan.GoBuildInfo!.Value.Outcome);
        var image = scan.Image!;
        Assert.True(image.TryRead(0, 64, out _));
        Assert.False(image.TryRead(LoadedBytes / 2, 16, out _));
        Assert.True(image.TryRead((ulong)LoadedBytes, 16, out _));
        Assert.True(ElfSectionLocator.TryFind(image, ".dep-v0"u8, out var section, out var error));
        Assert.Null(error);
        Assert.Equal(0x78, section.Span[0]); // the zlib header
    }

    [Fact]
    public async Task A_section_inside_a_loaded_segment_is_reported_as_not_read()
    {
        var executable = Executable(LoadedBytes, depV0Loaded: true);
        var sink = await DetectorRun.BytesAsync(new CargoAuditableDetector(), executable, "usr/bin/odd");
        Assert.Empty(sink.Packages);
        Assert.Contains("not read", Assert.Single(sink.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_program_and_section_headers_never_throw()
    {
        var random = new Random(11);
        var valid = Executable(300_000, depV0Loaded: false);
        for (var round = 0; round < 300; round++)
        {
            var bytes = (byte[])valid.Clone();
            // Corrupt a few header fields: e_phoff, e_phentsize/phnum, e_shoff, sizes, program header offsets.
            for (var k = 0; k < 1 + random.Next(4); k++)
            {
                var at = random.Next(4, 64 + 56 * 2);
                bytes[at] = (byte)random.Next(256);
            }
            var length = random.Next(3) == 0 ? random.Next(52, bytes.Length) : bytes.Length;
            var sink = new CollectingSink();
            var reader = new LayerReader([new GoBinaryDetector(), new CargoAuditableDetector()]);
            var blob = new TestLayer().File("usr/bin/x", bytes[..length], (UnixFileMode)0b111_101_101).Tar();
            var analysis = await reader.ReadAsync(TestLayer.Source(blob), default);
            Assert.True(analysis.Problems.Count <= 1, string.Join("; ", analysis.Problems.Select(p => p.Reason)));
            Assert.DoesNotContain(analysis.Problems, p => p.Reason.Contains("failed:", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// ELF64 LE: header, two program headers (PT_LOAD over [0, loaded), PT_NOTE), the loaded bytes (noise), then
    /// .dep-v0 (or, with <paramref name="depV0Loaded"/>, .dep-v0 pointed inside the loaded bytes), .shstrtab, and the
    /// section header table.
    /// </summary>
    internal static byte[] Executable(int loaded, bool depV0Loaded)
    {
        var data = CargoAuditableDetectorTests.Zlib(Encoding.UTF8.GetBytes(DependencyJson));
        var names = "\0.shstrtab\0.dep-v0\0"u8.ToArray();
        var dataOffset = loaded;
        var namesOffset = dataOffset + data.Length;
        var shoff = (namesOffset + names.Length + 7) & ~7;
        var image = new byte[shoff + 3 * 64];
        new Random(5).NextBytes(image.AsSpan(64 + 2 * 56, loaded - 64 - 2 * 56));
        image[0] = 0x7f; image[1] = (byte)'E'; image[2] = (byte)'L'; image[3] = (byte)'F'; image[4] = 2; image[5] = 1; image[6] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(32), 64); // e_phoff
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(40), (ulong)shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(54), 56);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(56), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(58), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(60), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(62), 1);
        WriteProgramHeader(image, 64, type: 1, offset: 0, size: loaded);
        WriteProgramHeader(image, 64 + 56, type: 4, offset: 64, size: 32);
        data.CopyTo(image, dataOffset);
        names.CopyTo(image, namesOffset);
        WriteSection(image, shoff + 64, nameOffset: 1, offset: namesOffset, size: names.Length);
        WriteSection(image, shoff + 128, nameOffset: 11, offset: depV0Loaded ? 4096 : dataOffset, size: data.Length);
        return image;

        static void WriteProgramHeader(byte[] image, int at, uint type, long offset, long size)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(at), type);
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(at + 4), 4); // PF_R
            BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(at + 8), (ulong)offset);
            BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(at + 32), (ulong)size);
            BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(at + 40), (ulong)size);
        }

        static void WriteSection(byte[] image, int at, int nameOffset, int offset, int size)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(at), (uint)nameOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(at + 4), 1);
            BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(at + 24), (ulong)offset);
            BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(at + 32), (ulong)size);
        }
    }
}

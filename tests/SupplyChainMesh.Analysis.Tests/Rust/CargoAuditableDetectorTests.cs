using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using SupplyChainMesh.Analysis.Rust;
using SupplyChainMesh.Analysis.Tests.LanguageDetection;

namespace SupplyChainMesh.Analysis.Tests.Rust;

// Our test images hold no cargo-auditable binary and the fixtures no executables, so these tests build ELF files
// with the section layout a linker writes (sections, then the section header table at the end).
public class CargoAuditableDetectorTests
{
    // The shape cargo-auditable documents for .dep-v0: root crate, crates.io crates, a build-only crate, a path crate.
    private const string DependencyJson = """
        {"packages":[
          {"name":"auditable-demo","version":"0.1.0","source":"local","root":true,"dependencies":[1,2,3]},
          {"name":"adler","version":"1.0.2","source":"crates.io"},
          {"name":"serde","version":"1.0.190","source":"crates.io","dependencies":[3]},
          {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"},
          {"name":"internal-util","version":"0.3.0","source":"local"},
          {"name":"forked","version":"2.0.0","source":"git"}
        ]}
        """;

    private readonly CargoAuditableDetector _detector = new();

    [Fact]
    public async Task Runtime_crates_from_crates_io_and_the_root()
    {
        var sink = await DetectorRun.BytesAsync(_detector, Elf(Zlib(Encoding.UTF8.GetBytes(DependencyJson))), "usr/local/bin/demo");
        Assert.Empty(sink.Problems);
        Assert.Equal(["adler@1.0.2", "auditable-demo@0.1.0", "serde@1.0.190"], sink.Packages.Select(p => $"{p.Name}@{p.Version}").Order(StringComparer.Ordinal));
        Assert.All(sink.Packages, p => Assert.Equal("cargo", p.Type));
        Assert.Contains("pkg:cargo/serde@1.0.190", sink.Packages.Select(p => p.Purl));
    }

    [Fact]
    public async Task Elf_without_the_section_yields_nothing_and_no_problem()
    {
        var sink = await DetectorRun.BytesAsync(_detector, Elf(Zlib("{}"u8.ToArray()), sectionName: ".rodata"), "usr/bin/plain");
        Assert.Empty(sink.Packages);
        Assert.Empty(sink.Problems);
    }

    [Fact]
    public async Task Corrupt_zlib_is_a_problem()
    {
        var sink = await DetectorRun.BytesAsync(_detector, Elf([0x78, 0x9c, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x11]), "usr/bin/corrupt");
        Assert.Empty(sink.Packages);
        Assert.Single(sink.Problems);
    }

    [Theory]
    [InlineData("{\"packages\": [")]
    [InlineData("{\"crates\": []}")]
    public async Task Bad_json_is_a_problem(string json)
    {
        var sink = await DetectorRun.BytesAsync(_detector, Elf(Zlib(Encoding.UTF8.GetBytes(json))), "usr/bin/bad");
        Assert.Empty(sink.Packages);
        Assert.Single(sink.Problems);
    }

    [Fact]
    public async Task Zlib_bomb_is_refused()
    {
        var bomb = Zlib(new byte[64 * 1024 * 1024]);
        var sink = await DetectorRun.BytesAsync(_detector, Elf(bomb), "usr/bin/bomb");
        Assert.Empty(sink.Packages);
        Assert.Contains("inflates past", Assert.Single(sink.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_bytes_with_elf_magic_and_lying_headers()
    {
        var bytes = new byte[200_000];
        new Random(3).NextBytes(bytes);
        bytes[0] = 0x7f; bytes[1] = (byte)'E'; bytes[2] = (byte)'L'; bytes[3] = (byte)'F'; bytes[4] = 2; bytes[5] = 1;
        var sink = await DetectorRun.BytesAsync(_detector, bytes, "usr/bin/noise");
        Assert.Empty(sink.Packages);
        Assert.True(sink.Problems.Count <= 1);

        var image = Elf(Zlib(Encoding.UTF8.GetBytes(DependencyJson)));
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(40), (ulong)image.Length - 10); // e_shoff past the end
        sink = await DetectorRun.BytesAsync(_detector, image, "usr/bin/lying");
        Assert.Empty(sink.Packages);
        Assert.Contains("outside the file", Assert.Single(sink.Problems).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Real_debian_executables_read_without_problems()
    {
        // Hundreds of real ELF executables (C, C++, Go): all must parse; none of them is cargo-auditable.
        var scan = await TestImageScan.ScanAsync("bookworm-apps", _detector);
        Assert.Empty(scan.Problems);
        Assert.Empty(scan.By("rustbinary"));
    }

    internal static byte[] Zlib(byte[] data)
    {
        var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.SmallestSize, leaveOpen: true)) z.Write(data);
        return output.ToArray();
    }

    /// <summary>ELF64 LE: header, the section's data, a name table, then three section headers (null, names, section).</summary>
    private static byte[] Elf(byte[] sectionData, string sectionName = ".dep-v0")
    {
        var names = Encoding.ASCII.GetBytes("\0.shstrtab\0" + sectionName + "\0");
        var dataOffset = 64;
        var namesOffset = dataOffset + sectionData.Length;
        var shoff = (namesOffset + names.Length + 7) & ~7;
        var image = new byte[Math.Max(shoff + 3 * 64, 70_000)];
        image[0] = 0x7f; image[1] = (byte)'E'; image[2] = (byte)'L'; image[3] = (byte)'F'; image[4] = 2; image[5] = 1; image[6] = 1;
        BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(40), (ulong)shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(58), 64);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(60), 3);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(62), 1);
        sectionData.CopyTo(image, dataOffset);
        names.CopyTo(image, namesOffset);
        WriteSection(image, shoff + 64, nameOffset: 1, offset: namesOffset, size: names.Length);
        WriteSection(image, shoff + 128, nameOffset: 11, offset: dataOffset, size: sectionData.Length);
        return image;

        static void WriteSection(byte[] image, int at, int nameOffset, int offset, int size)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(at), (uint)nameOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(image.AsSpan(at + 4), 1);
            BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(at + 24), (ulong)offset);
            BinaryPrimitives.WriteUInt64LittleEndian(image.AsSpan(at + 32), (ulong)size);
        }
    }
}

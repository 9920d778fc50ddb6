using System.Buffers.Binary;

namespace SupplyChainMesh.Analysis.Rust;

/// <summary>
/// Finds a named section in an ELF image held in memory (32/64-bit, either byte order), checking every offset
/// against the image so a hostile header cannot point outside it.
/// </summary>
internal static class ElfSectionLocator
{
    public static bool IsElf(ReadOnlySpan<byte> image) =>
        image.Length >= 52 && image[0] == 0x7f && image[1] == (byte)'E' && image[2] == (byte)'L' && image[3] == (byte)'F' && image[4] is 1 or 2;

    /// <summary>The section's bytes, or false with <paramref name="error"/> empty when absent, set when the headers are corrupt.</summary>
    public static bool TryFind(ReadOnlySpan<byte> image, ReadOnlySpan<byte> name, out Range section, out string? error)
    {
        section = default;
        error = null;
        var is64 = image[4] == 2;
        var bigEndian = image[5] == 2;
        if (is64 && image.Length < 64) { error = "ELF header is truncated"; return false; }
        var shoff = is64 ? U64(image[40..], bigEndian) : U32(image[32..], bigEndian);
        int shentsize = U16(image[(is64 ? 58 : 46)..], bigEndian);
        int shnum = U16(image[(is64 ? 60 : 48)..], bigEndian);
        int shstrndx = U16(image[(is64 ? 62 : 50)..], bigEndian);
        if (shoff == 0 || shnum == 0) return false; // stripped of section headers: nothing to find
        if (shentsize < (is64 ? 64 : 40) || shstrndx >= shnum || shoff + (ulong)shentsize * (ulong)shnum > (ulong)image.Length)
        {
            error = "ELF section header table lies outside the file";
            return false;
        }
        if (!TrySection(image, (int)shoff + shstrndx * shentsize, is64, bigEndian, out var names))
        {
            error = "ELF section name table lies outside the file";
            return false;
        }
        var nameTable = image[names];
        for (var i = 0; i < shnum; i++)
        {
            var header = (int)shoff + i * shentsize;
            var nameOffset = U32(image[header..], bigEndian);
            if (nameOffset >= (uint)nameTable.Length) continue;
            var entryName = nameTable[(int)nameOffset..];
            var end = entryName.IndexOf((byte)0);
            if (end < 0 || !entryName[..end].SequenceEqual(name)) continue;
            if (!TrySection(image, header, is64, bigEndian, out section))
            {
                error = "ELF section lies outside the file";
                return false;
            }
            return true;
        }
        return false;
    }

    private static bool TrySection(ReadOnlySpan<byte> image, int header, bool is64, bool bigEndian, out Range range)
    {
        range = default;
        var offset = is64 ? U64(image[(header + 24)..], bigEndian) : U32(image[(header + 16)..], bigEndian);
        var size = is64 ? U64(image[(header + 32)..], bigEndian) : U32(image[(header + 20)..], bigEndian);
        if (offset > (ulong)image.Length || size > (ulong)image.Length - offset) return false;
        range = new Range((int)offset, (int)(offset + size));
        return true;
    }

    private static ushort U16(ReadOnlySpan<byte> s, bool bigEndian) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    private static uint U32(ReadOnlySpan<byte> s, bool bigEndian) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    private static ulong U64(ReadOnlySpan<byte> s, bool bigEndian) => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);
}

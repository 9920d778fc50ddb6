using System.Buffers.Binary;

namespace SupplyChainMesh.Analysis.Elf;

/// <summary>
/// Finds a named section in the parts of an ELF file a pass kept (32/64-bit, either byte order), checking every offset
/// against the file's length so a hostile header cannot point outside it.
/// </summary>
internal static class ElfSectionLocator
{
    public static bool IsElf(ReadOnlySpan<byte> image) =>
        image.Length >= 52 && image[0] == 0x7f && image[1] == (byte)'E' && image[2] == (byte)'L' && image[3] == (byte)'F' && image[4] is 1 or 2;

    /// <summary>
    /// The section's bytes, or false with <paramref name="error"/> null when the file has no such section (or the pass
    /// did not keep the name table), set when the headers are corrupt or the section lies where the pass kept nothing.
    /// </summary>
    public static bool TryFind(ElfImage image, ReadOnlySpan<byte> name, out ReadOnlyMemory<byte> section, out string? error)
    {
        section = default;
        error = null;
        if (!image.TryRead(0, 52, out var ident) || !IsElf(ident.Span)) return false;
        var is64 = ident.Span[4] == 2;
        var bigEndian = ident.Span[5] == 2;
        if (!image.TryRead(0, is64 ? 64UL : 52UL, out var headerMemory)) { error = "ELF header is truncated"; return false; }
        var header = headerMemory.Span;
        var shoff = is64 ? U64(header[40..], bigEndian) : U32(header[32..], bigEndian);
        int shentsize = U16(header[(is64 ? 58 : 46)..], bigEndian);
        int shnum = U16(header[(is64 ? 60 : 48)..], bigEndian);
        int shstrndx = U16(header[(is64 ? 62 : 50)..], bigEndian);
        if (shoff == 0 || shnum == 0) return false; // stripped of section headers: nothing to find
        var tableLength = (ulong)shentsize * (ulong)shnum;
        if (shentsize < (is64 ? 64 : 40) || shstrndx >= shnum || shoff > (ulong)image.FileLength || tableLength > (ulong)image.FileLength - shoff)
        {
            error = "ELF section header table lies outside the file";
            return false;
        }
        if (!image.TryRead(shoff, tableLength, out var tableMemory)) return false;
        var table = tableMemory.Span;
        if (!TrySection(table, shstrndx * shentsize, is64, bigEndian, image.FileLength, out var namesOffset, out var namesLength))
        {
            error = "ELF section name table lies outside the file";
            return false;
        }
        if (!image.TryRead(namesOffset, namesLength, out var namesMemory)) return false;
        var nameTable = namesMemory.Span;
        for (var i = 0; i < shnum; i++)
        {
            var entry = table[(i * shentsize)..];
            var nameOffset = U32(entry, bigEndian);
            if (nameOffset >= (uint)nameTable.Length) continue;
            var entryName = nameTable[(int)nameOffset..];
            var end = entryName.IndexOf((byte)0);
            if (end < 0 || !entryName[..end].SequenceEqual(name)) continue;
            if (!TrySection(table, i * shentsize, is64, bigEndian, image.FileLength, out var offset, out var length))
            {
                error = "ELF section lies outside the file";
                return false;
            }
            if (!image.TryRead(offset, length, out section))
            {
                error = $"ELF section of {length} bytes at offset {offset} lies inside a loaded segment or past the bytes one pass keeps; not read";
                return false;
            }
            return true;
        }
        return false;
    }

    private static bool TrySection(ReadOnlySpan<byte> table, int at, bool is64, bool bigEndian, long fileLength, out ulong offset, out ulong size)
    {
        offset = is64 ? U64(table[(at + 24)..], bigEndian) : U32(table[(at + 16)..], bigEndian);
        size = is64 ? U64(table[(at + 32)..], bigEndian) : U32(table[(at + 20)..], bigEndian);
        return offset <= (ulong)fileLength && size <= (ulong)fileLength - offset;
    }

    internal static ushort U16(ReadOnlySpan<byte> s, bool bigEndian) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    internal static uint U32(ReadOnlySpan<byte> s, bool bigEndian) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    internal static ulong U64(ReadOnlySpan<byte> s, bool bigEndian) => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);
}

using System.Text;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// The fields of a 512-byte tar header block and of PAX extended header records, parsed from spans (POSIX.1-2001 ustar
/// and pax, GNU). Everything malformed is an <see cref="InvalidDataException"/>: a hostile header must end the walk
/// with a typed error, never as a wrong size that makes the reader misread the rest of the layer.
/// </summary>
internal static class TarFields
{
    public const int BlockSize = 512;
    public const int NameOffset = 0, NameLength = 100;
    public const int ModeOffset = 100, ModeLength = 8;
    public const int SizeOffset = 124, SizeLength = 12;
    public const int ChecksumOffset = 148, ChecksumLength = 8;
    public const int TypeOffset = 156;
    public const int LinkNameOffset = 157, LinkNameLength = 100;
    public const int MagicOffset = 257;
    public const int PrefixOffset = 345, PrefixLength = 155;

    /// <summary>True for an all-zero block: the end-of-archive marker.</summary>
    public static bool IsZeroBlock(ReadOnlySpan<byte> block) => !block.ContainsAnyExcept((byte)0);

    /// <summary>
    /// Checks the header checksum: the sum of the block's bytes with the checksum field counted as spaces. Historic
    /// writers summed signed chars, so that sum is accepted too (as GNU tar and Go's archive/tar do).
    /// </summary>
    public static void VerifyChecksum(ReadOnlySpan<byte> block)
    {
        var stored = ParseNumber(block.Slice(ChecksumOffset, ChecksumLength), "checksum");
        long unsigned = 0, signed = 0;
        for (var i = 0; i < block.Length; i++)
        {
            var b = i is >= ChecksumOffset and < ChecksumOffset + ChecksumLength ? (byte)' ' : block[i];
            unsigned += b;
            signed += (sbyte)b;
        }
        if (stored != unsigned && stored != signed)
            throw new InvalidDataException($"header checksum mismatch (stored {stored}, computed {unsigned}): not a tar header or a corrupt one");
    }

    /// <summary>
    /// A numeric field: octal ASCII (leading spaces or zeros, ended by NUL or space; all NULs is 0), or GNU base-256
    /// (high bit of the first byte set; 0xff starts a negative number, which no field may hold).
    /// </summary>
    public static long ParseNumber(ReadOnlySpan<byte> field, string what)
    {
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            if (field[0] == 0xff) throw new InvalidDataException($"negative {what} field in a tar header");
            long big = field[0] & 0x7f;
            foreach (var b in field[1..])
            {
                if (big > (long.MaxValue >> 8)) throw new InvalidDataException($"the {what} field of a tar header overflows");
                big = (big << 8) | b;
            }
            return big;
        }
        var i = 0;
        while (i < field.Length && field[i] == ' ') i++;
        long value = 0;
        var digits = 0;
        for (; i < field.Length; i++)
        {
            var c = field[i];
            if (c is 0 or (byte)' ') break;
            if (c is < (byte)'0' or > (byte)'7')
                throw new InvalidDataException($"the {what} field of a tar header is not an octal number");
            value = (value << 3) | (uint)(c - '0');
            digits++;
        }
        // After the terminator only NULs and spaces may follow.
        for (; i < field.Length; i++)
        {
            if (field[i] is not (0 or (byte)' '))
                throw new InvalidDataException($"the {what} field of a tar header is not an octal number");
        }
        return digits <= 21 ? value : throw new InvalidDataException($"the {what} field of a tar header overflows");
    }

    /// <summary>A NUL-terminated (or field-filling) UTF-8 string, as tar names are written.</summary>
    public static string ReadString(ReadOnlySpan<byte> field)
    {
        var nul = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? field : field[..nul]);
    }

    /// <summary>
    /// Parses PAX extended header records ("LEN key=value\n", LEN counting the whole record in bytes) and returns the
    /// ones the reader uses: path, linkpath and size. A record whose length does not fit is malformed.
    /// </summary>
    public static void ParsePaxRecords(ReadOnlySpan<byte> data, ref string? path, ref string? linkPath, ref long? size)
    {
        while (!data.IsEmpty)
        {
            // Writers may pad the data with NULs after the last record.
            if (data[0] == 0 && !data.ContainsAnyExcept((byte)0)) return;
            var space = data.IndexOf((byte)' ');
            if (space is <= 0 or > 10) throw new InvalidDataException("a PAX extended header record does not start with its length");
            var length = 0;
            foreach (var c in data[..space])
            {
                if (c is < (byte)'0' or > (byte)'9') throw new InvalidDataException("a PAX extended header record has a malformed length");
                length = (length * 10) + (c - '0');
            }
            if (length <= space + 1 || length > data.Length || data[length - 1] != (byte)'\n')
                throw new InvalidDataException($"a PAX extended header record claims {length} bytes, which do not end in a newline within the header");
            var record = data[(space + 1)..(length - 1)];
            var equals = record.IndexOf((byte)'=');
            if (equals <= 0) throw new InvalidDataException("a PAX extended header record has no key=value");
            var key = record[..equals];
            var value = record[(equals + 1)..];
            if (key.SequenceEqual("path"u8)) path = Encoding.UTF8.GetString(value);
            else if (key.SequenceEqual("linkpath"u8)) linkPath = Encoding.UTF8.GetString(value);
            else if (key.SequenceEqual("size"u8)) size = ParsePaxSize(value);
            data = data[length..];
        }
    }

    private static long ParsePaxSize(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty || value.Length > 18) throw new InvalidDataException("the PAX size record is not a size");
        long size = 0;
        foreach (var c in value)
        {
            if (c is < (byte)'0' or > (byte)'9') throw new InvalidDataException("the PAX size record is not a non-negative decimal number");
            size = (size * 10) + (c - '0');
        }
        return size;
    }
}

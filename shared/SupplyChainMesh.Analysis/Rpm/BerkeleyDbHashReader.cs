using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>
/// Reads the values of a Berkeley DB hash database, the format of rpm's <c>Packages</c> before rpm 4.16 (RHEL/CentOS
/// 5-8, Amazon Linux 2). No managed library reads it, so this follows the on-disk layout of libdb's
/// <c>db_page.h</c>: page 0 is the hash metadata page (magic 0x061561 at byte 12, page size at 20, last page number at
/// 32); hash pages (type 13, or 2 on old releases) hold an array of 16-bit item offsets after the 26-byte page
/// header, alternating key and value items; a value is either stored in the page (<c>H_KEYDATA</c>) or, as rpm's
/// headers nearly always are, on a chain of overflow pages (<c>H_OFFPAGE</c>: first page number and total length).
/// </summary>
/// <remarks>
/// Pages are scanned in file order rather than walking buckets: every live item sits on some hash page, and a linear
/// scan needs no hash function. The file is untrusted: page numbers, offsets and lengths are bounds-checked, overflow
/// a chain that revisits a page is cut (so a loop ends), and a value's length is capped by the file
/// size before anything is allocated. A broken metadata page throws <see cref="RpmDatabaseFormatException"/>; a broken
/// item or chain is reported through the problem callback and skipped.
/// </remarks>
public static class BerkeleyDbHashReader
{
    public const uint HashMagic = 0x061561;

    private const int PageHeaderSize = 26;
    private const byte PageTypeHashUnsorted = 2;
    private const byte PageTypeOverflow = 7;
    private const byte PageTypeHashMeta = 8;
    private const byte PageTypeHash = 13;
    private const byte ItemKeyData = 1;
    private const byte ItemOffPage = 3;
    private const int OffPageItemSize = 12;

    /// <summary>Whether the first bytes of a file are a Berkeley DB hash metadata page (either byte order).</summary>
    public static bool IsHashDatabase(ReadOnlySpan<byte> head) =>
        head.Length >= 16 && (BinaryPrimitives.ReadUInt32LittleEndian(head[12..]) == HashMagic
                              || BinaryPrimitives.ReadUInt32BigEndian(head[12..]) == HashMagic);

    /// <summary>Every value of the database, in page order. rpm's instance-counter record (key 0) is left out.</summary>
    public static IEnumerable<byte[]> ReadValues(SafeFileHandle file, Action<string> problem)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(problem);
        var fileLength = RandomAccess.GetLength(file);
        var meta = new byte[512];
        if (fileLength < meta.Length || RandomAccess.Read(file, meta, 0) < meta.Length)
            throw new RpmDatabaseFormatException($"Berkeley DB file of {fileLength} bytes is shorter than its metadata page");

        bool bigEndian;
        if (BinaryPrimitives.ReadUInt32LittleEndian(meta.AsSpan(12)) == HashMagic) bigEndian = false;
        else if (BinaryPrimitives.ReadUInt32BigEndian(meta.AsSpan(12)) == HashMagic) bigEndian = true;
        else throw new RpmDatabaseFormatException("not a Berkeley DB hash database (magic 0x061561 missing)");

        var reader = new PageReader(bigEndian);
        var pageSize = reader.U32(meta, 20);
        if (pageSize is < 512 or > 65536 || (pageSize & (pageSize - 1)) != 0)
            throw new RpmDatabaseFormatException($"Berkeley DB page size {pageSize} is not a power of two from 512 to 65536");
        if (meta[24] != 0)
            throw new RpmDatabaseFormatException("Berkeley DB file is encrypted");
        if (meta[25] != PageTypeHashMeta)
            throw new RpmDatabaseFormatException($"Berkeley DB metadata page has type {meta[25]}, not hash metadata ({PageTypeHashMeta})");

        var pagesInFile = fileLength / pageSize;
        long lastPage = reader.U32(meta, 32);
        if (lastPage >= pagesInFile)
        {
            problem(string.Create(CultureInfo.InvariantCulture,
                $"metadata names last page {lastPage} but the file holds {pagesInFile} pages (truncated?); reading those"));
            lastPage = pagesInFile - 1;
        }

        return ReadPages(file, reader, (int)pageSize, lastPage, fileLength, problem);
    }

    private static IEnumerable<byte[]> ReadPages(SafeFileHandle file, PageReader reader, int pageSize, long lastPage, long fileLength, Action<string> problem)
    {
        var page = new byte[pageSize];
        var overflow = new byte[pageSize];
        // visitedBy[n] is the number of the last value whose chain went through page n: a repeat is a loop.
        var visitedBy = new int[lastPage + 1];
        var valueNumber = 0;
        for (long pageNumber = 1; pageNumber <= lastPage; pageNumber++)
        {
            if (RandomAccess.Read(file, page, pageNumber * pageSize) < pageSize) yield break;
            var type = page[25];
            if (type is not (PageTypeHash or PageTypeHashUnsorted)) continue;

            int entries = reader.U16(page, 20);
            if (entries % 2 != 0 || PageHeaderSize + (entries * 2) > pageSize)
            {
                problem(Invariant($"hash page {pageNumber} has an impossible item count {entries}; skipped"));
                continue;
            }
            var itemsStart = PageHeaderSize + (entries * 2);
            for (var i = 0; i < entries; i += 2)
            {
                int keyOffset = reader.U16(page, PageHeaderSize + (i * 2));
                int valueOffset = reader.U16(page, PageHeaderSize + ((i + 1) * 2));
                // Items grow down from the page end: an item ends where the one before it in the array starts.
                var keyEnd = i == 0 ? pageSize : reader.U16(page, PageHeaderSize + ((i - 1) * 2));
                if (keyOffset < itemsStart || keyOffset >= keyEnd || keyEnd > pageSize
                    || valueOffset < itemsStart || valueOffset >= keyOffset)
                {
                    problem(Invariant($"hash page {pageNumber} item {i} has offsets outside the page; skipped"));
                    continue;
                }
                if (IsInstanceCounterKey(page.AsSpan(keyOffset, keyEnd - keyOffset))) continue;

                switch (page[valueOffset])
                {
                    case ItemKeyData:
                        yield return page.AsSpan((valueOffset + 1)..keyOffset).ToArray();
                        break;
                    case ItemOffPage when valueOffset + OffPageItemSize <= keyOffset:
                        var first = reader.U32(page, valueOffset + 4);
                        var length = reader.U32(page, valueOffset + 8);
                        var value = ReadOverflowChain(file, reader, overflow, visitedBy, ++valueNumber, first, length, fileLength, out var error);
                        if (value is null) problem(Invariant($"hash page {pageNumber} item {i + 1}: {error}; skipped"));
                        else yield return value;
                        break;
                    default:
                        problem(Invariant($"hash page {pageNumber} item {i + 1} has item type {page[valueOffset]}, not data or overflow; skipped"));
                        break;
                }
            }
        }
    }

    /// <summary>rpm keeps its next instance number under key 0; it is not a header.</summary>
    private static bool IsInstanceCounterKey(ReadOnlySpan<byte> keyItem) =>
        keyItem.Length == 5 && keyItem[0] == ItemKeyData && BinaryPrimitives.ReadUInt32LittleEndian(keyItem[1..]) == 0;

    private static byte[]? ReadOverflowChain(
        SafeFileHandle file, PageReader reader, byte[] buffer, int[] visitedBy, int valueNumber, uint first, uint length, long fileLength, out string? error)
    {
        if (length == 0 || length > fileLength)
        {
            error = Invariant($"overflow value claims {length} bytes in a {fileLength}-byte file");
            return null;
        }
        var value = new byte[length];
        var filled = 0;
        var pageNumber = (long)first;
        var pageSize = buffer.Length;
        var lastPage = visitedBy.Length - 1;
        while (filled < value.Length)
        {
            if (pageNumber == 0 || pageNumber > lastPage)
            {
                error = Invariant($"overflow chain points at page {pageNumber} (last page {lastPage}) after {filled} of {length} bytes");
                return null;
            }
            if (visitedBy[pageNumber] == valueNumber)
            {
                error = Invariant($"overflow chain loops back to page {pageNumber}");
                return null;
            }
            visitedBy[pageNumber] = valueNumber;
            if (RandomAccess.Read(file, buffer, pageNumber * pageSize) < pageSize)
            {
                error = Invariant($"overflow page {pageNumber} is past the end of the file");
                return null;
            }
            if (buffer[25] != PageTypeOverflow)
            {
                error = Invariant($"overflow chain reaches page {pageNumber} of type {buffer[25]}");
                return null;
            }
            // An overflow page's "high free offset" field holds the number of data bytes on it.
            int onPage = reader.U16(buffer, 22);
            var take = Math.Min(Math.Min(onPage, pageSize - PageHeaderSize), value.Length - filled);
            if (take <= 0)
            {
                error = Invariant($"overflow page {pageNumber} holds no data");
                return null;
            }
            buffer.AsSpan(PageHeaderSize, take).CopyTo(value.AsSpan(filled));
            filled += take;
            pageNumber = reader.U32(buffer, 16);
        }
        error = null;
        return value;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private readonly struct PageReader(bool bigEndian)
    {
        public uint U32(byte[] page, int offset) => bigEndian
            ? BinaryPrimitives.ReadUInt32BigEndian(page.AsSpan(offset))
            : BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(offset));

        public ushort U16(byte[] page, int offset) => bigEndian
            ? BinaryPrimitives.ReadUInt16BigEndian(page.AsSpan(offset))
            : BinaryPrimitives.ReadUInt16LittleEndian(page.AsSpan(offset));
    }
}

using System.Buffers.Binary;
using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace SupplyChainMesh.Analysis.Rpm;

/// <summary>
/// Reads the header blobs of rpm's native "ndb" <c>Packages.db</c> (SUSE since SLE 15 SP3; rpm's
/// <c>lib/backend/ndb/rpmpkg.c</c>). Layout, all little-endian: a 32-byte header (<c>RpmP</c> magic, version 0,
/// generation, number of 4 KiB slot pages); the slot pages hold 16-byte slots (<c>Slot</c> magic, package index,
/// block offset, block count), the first two slots' space being the header; a used slot points at a blob at
/// <c>block offset × 16</c>: a 16-byte blob header (<c>BlbS</c> magic, package index, Adler-32, length) then the
/// header blob.
/// </summary>
/// <remarks>
/// Everything is bounds-checked against the file; a slot or blob that does not check out is reported and skipped.
/// The Adler-32 checksum is not verified: the header parser validates the blob's structure itself.
/// </remarks>
public static class NdbPackagesReader
{
    public const uint HeaderMagic = 'R' | ('p' << 8) | ('m' << 16) | ('P' << 24);
    private const uint SlotMagic = 'S' | ('l' << 8) | ('o' << 16) | ('t' << 24);
    private const uint BlobMagic = 'B' | ('l' << 8) | ('b' << 16) | ('S' << 24);
    private const int SlotPageSize = 4096;
    private const int SlotSize = 16;
    private const int BlockSize = 16;
    private const int BlobHeaderSize = 16;

    /// <summary>rpm itself never makes more slot pages than this (go-rpmdb uses the same guard).</summary>
    public const int MaxSlotPages = 2048;

    public static bool IsNdbDatabase(ReadOnlySpan<byte> head) =>
        head.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(head) == HeaderMagic;

    /// <summary>Every package blob, in slot order.</summary>
    public static IEnumerable<byte[]> ReadBlobs(SafeFileHandle file, Action<string> problem)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(problem);
        var fileLength = RandomAccess.GetLength(file);
        var header = new byte[32];
        if (RandomAccess.Read(file, header, 0) < header.Length)
            throw new RpmDatabaseFormatException($"ndb file of {fileLength} bytes is shorter than its 32-byte header");
        if (BinaryPrimitives.ReadUInt32LittleEndian(header) != HeaderMagic)
            throw new RpmDatabaseFormatException("not an rpm ndb Packages.db (magic RpmP missing)");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4));
        if (version != 0)
            throw new RpmDatabaseFormatException($"ndb version {version} is not supported (only 0 exists)");
        var slotPages = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(12));
        if (slotPages is 0 or > MaxSlotPages || (long)slotPages * SlotPageSize > fileLength)
            throw new RpmDatabaseFormatException($"ndb header claims {slotPages} slot pages in a {fileLength}-byte file");

        var slots = new byte[slotPages * SlotPageSize];
        if (RandomAccess.Read(file, slots, 0) < slots.Length)
            throw new RpmDatabaseFormatException("ndb slot pages are truncated");
        return ReadSlots(file, slots, fileLength, problem);
    }

    private static IEnumerable<byte[]> ReadSlots(SafeFileHandle file, byte[] slots, long fileLength, Action<string> problem)
    {
        var blobHeader = new byte[BlobHeaderSize];
        // The first two slots' bytes are the file header.
        for (var offset = 2 * SlotSize; offset < slots.Length; offset += SlotSize)
        {
            var slot = slots.AsSpan(offset, SlotSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(slot) != SlotMagic)
            {
                problem(Invariant($"ndb slot at byte {offset} has a bad magic; stopped reading slots"));
                yield break;
            }
            var packageIndex = BinaryPrimitives.ReadUInt32LittleEndian(slot[4..]);
            if (packageIndex == 0) continue;
            var blockOffset = BinaryPrimitives.ReadUInt32LittleEndian(slot[8..]);
            var blockCount = BinaryPrimitives.ReadUInt32LittleEndian(slot[12..]);
            var position = (long)blockOffset * BlockSize;
            var extent = (long)blockCount * BlockSize;
            if (position < slots.Length || position + BlobHeaderSize > fileLength || extent < BlobHeaderSize || position + extent > fileLength)
            {
                problem(Invariant($"ndb package {packageIndex} points at blocks {blockOffset}+{blockCount} outside the data area; skipped"));
                continue;
            }
            if (RandomAccess.Read(file, blobHeader, position) < BlobHeaderSize
                || BinaryPrimitives.ReadUInt32LittleEndian(blobHeader) != BlobMagic
                || BinaryPrimitives.ReadUInt32LittleEndian(blobHeader.AsSpan(4)) != packageIndex)
            {
                problem(Invariant($"ndb package {packageIndex} has no matching blob header at byte {position}; skipped"));
                continue;
            }
            var length = BinaryPrimitives.ReadUInt32LittleEndian(blobHeader.AsSpan(12));
            if (length == 0 || BlobHeaderSize + (long)length > extent)
            {
                problem(Invariant($"ndb package {packageIndex} blob of {length} bytes does not fit its {extent}-byte extent; skipped"));
                continue;
            }
            var blob = new byte[length];
            if (RandomAccess.Read(file, blob, position + BlobHeaderSize) < blob.Length)
            {
                problem(Invariant($"ndb package {packageIndex} blob is truncated; skipped"));
                continue;
            }
            yield return blob;
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

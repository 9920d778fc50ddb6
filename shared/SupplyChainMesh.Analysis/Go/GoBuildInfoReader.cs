using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SupplyChainMesh.Analysis.Go;

/// <summary>
/// Finds the build info blob of a Go ELF executable in one forward pass, without loading the binary.
/// The linker writes a 32-byte header (<c>\xff Go buildinf:</c>, pointer size, flags) at a 16-byte aligned address
/// at or near the start of the writable data segment (the <c>.go.buildinfo</c> section); since Go 1.18 the toolchain
/// version and the modinfo text follow inline as varint-prefixed strings. The ELF program headers (right after the file
/// header) say where that segment starts, so everything before it is skipped unread; from there the stream is scanned
/// for the aligned magic. Section headers sit at the end of the file and are not needed.
/// </summary>
internal static class GoBuildInfoReader
{
    public enum Outcome
    {
        Found,
        NotElf,
        NotGo,
        PointerFormat,
        Malformed,
    }

    private const int ChunkSize = 256 * 1024;
    private const int HeaderSize = 32;
    private const int MaxModInfoBytes = 16 * 1024 * 1024;
    private const byte FlagsVersionInline = 0x2;
    /// <summary><c>\xff Go buildinf:</c> (a u8 literal would encode U+00FF as two bytes).</summary>
    internal static ReadOnlySpan<byte> ElfMagic => [0x7f, (byte)'E', (byte)'L', (byte)'F'];

    internal static ReadOnlySpan<byte> Magic => [0xff, 0x20, 0x47, 0x6f, 0x20, 0x62, 0x75, 0x69, 0x6c, 0x64, 0x69, 0x6e, 0x66, 0x3a];

    public readonly record struct Result(Outcome Outcome, GoBuildInfo? Info, string? Error);

    public static async ValueTask<Result> ReadAsync(Stream content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled < 52 || !buffer.AsSpan(0, 4).SequenceEqual(ElfMagic)) return new(Outcome.NotElf, null, null);
            var dataStart = DataSegmentOffset(buffer.AsSpan(0, filled));

            long bufferStart = 0; // file offset of buffer[0]
            var scanFrom = dataStart;
            while (true)
            {
                if (scanFrom >= bufferStart + filled)
                {
                    // Everything buffered lies before the place to look: drop it and read on.
                    bufferStart += filled;
                    filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, ChunkSize), ChunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                    if (filled == 0) return new(Outcome.NotGo, null, null);
                    continue;
                }
                var found = FindAligned(buffer.AsSpan(0, filled), (int)(scanFrom - bufferStart), bufferStart);
                if (found >= 0)
                {
                    // Move the blob to the front of the buffer; the parser reads on from the stream as it needs.
                    var kept = filled - found;
                    Buffer.BlockCopy(buffer, found, buffer, 0, kept);
                    return await ParseBlobAsync(content, buffer, kept, cancellationToken).ConfigureAwait(false);
                }
                // Keep a tail shorter than the magic: a match may straddle the chunk boundary.
                var keep = Math.Min(Magic.Length - 1, filled);
                var dropped = filled - keep;
                Buffer.BlockCopy(buffer, dropped, buffer, 0, keep);
                bufferStart += dropped;
                scanFrom = Math.Max(scanFrom, bufferStart);
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(keep, ChunkSize - keep), ChunkSize - keep, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (read == 0) return new(Outcome.NotGo, null, null);
                filled = keep + read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The file offset of the first loadable segment that is writable and not executable (where Go's debug/buildinfo
    /// looks when there are no section headers), or 0 when the program headers are not in the first chunk.
    /// </summary>
    internal static long DataSegmentOffset(ReadOnlySpan<byte> head)
    {
        var is64 = head[4] == 2;
        var bigEndian = head[5] == 2;
        if (head[4] is not (1 or 2)) return 0;
        var phoff = is64 ? (long)Math.Min(U64(head[32..], bigEndian), int.MaxValue) : U32(head[28..], bigEndian);
        int phentsize = U16(head[(is64 ? 54 : 42)..], bigEndian);
        int phnum = U16(head[(is64 ? 56 : 44)..], bigEndian);
        if (phoff <= 0 || phentsize < (is64 ? 56 : 32) || phoff + (long)phentsize * phnum > head.Length) return 0;
        for (var i = 0; i < phnum; i++)
        {
            var ph = head.Slice((int)phoff + i * phentsize, phentsize);
            var type = U32(ph, bigEndian);
            var flags = U32(ph[(is64 ? 4 : 24)..], bigEndian);
            const uint PtLoad = 1, PfX = 1, PfW = 2;
            if (type != PtLoad || (flags & (PfX | PfW)) != PfW) continue;
            return is64 ? (long)Math.Min(U64(ph[8..], bigEndian), long.MaxValue) : U32(ph[4..], bigEndian);
        }
        return 0;
    }

    /// <summary>Index in <paramref name="window"/> of the magic at a 16-byte aligned file offset, at or after <paramref name="from"/>.</summary>
    private static int FindAligned(ReadOnlySpan<byte> window, int from, long windowOffset)
    {
        var position = from;
        while (position < window.Length)
        {
            var index = window[position..].IndexOf(Magic);
            if (index < 0) return -1;
            var absolute = position + index;
            if ((windowOffset + absolute) % 16 == 0) return absolute;
            position = absolute + 1;
        }
        return -1;
    }

    private static async ValueTask<Result> ParseBlobAsync(Stream content, byte[] buffer, int filled, CancellationToken cancellationToken)
    {
        // The header plus two varints fit in the first chunk; the strings may not.
        if (filled < HeaderSize + 2)
        {
            filled += await content.ReadAtLeastAsync(buffer.AsMemory(filled), HeaderSize + 2 - filled, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled < HeaderSize + 2) return new(Outcome.Malformed, null, "file ends inside the Go build info header");
        }
        var flags = buffer[15];
        if ((flags & FlagsVersionInline) == 0)
            return new(Outcome.PointerFormat, null, "Go build info in the pre-1.18 pointer format is not read");

        var position = HeaderSize;
        string? version = null, modInfo = null;
        for (var field = 0; field < 2; field++)
        {
            if (!TryVarint(buffer.AsSpan(position, filled - position), out var length, out var width) || length > MaxModInfoBytes)
                return new(Outcome.Malformed, null, "Go build info string length is not a valid varint");
            position += width;
            var bytes = new byte[length];
            var available = (int)Math.Min((ulong)(filled - position), length);
            buffer.AsSpan(position, available).CopyTo(bytes);
            position += available;
            if (available < (int)length)
            {
                // The rest of the string comes from the stream; whatever follows it is not needed.
                var got = await content.ReadAtLeastAsync(bytes.AsMemory(available), (int)length - available, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (got < (int)length - available) return new(Outcome.Malformed, null, "file ends inside the Go build info strings");
                filled = position = 0;
                if (field == 0)
                {
                    filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, 16), 16, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                }
            }
            var text = Encoding.UTF8.GetString(bytes);
            if (field == 0) version = text;
            else modInfo = text;
        }
        if (!version!.StartsWith("go", StringComparison.Ordinal) && !version.StartsWith("devel", StringComparison.Ordinal))
            return new(Outcome.Malformed, null, $"Go build info holds no toolchain version ('{Shorten(version)}')");
        return new(Outcome.Found, GoBuildInfo.Parse(version, StripSentinels(modInfo!)), null);
    }

    /// <summary>modinfo is wrapped in two 16-byte sentinels; it is kept only when it looks like the linker wrote it.</summary>
    private static string StripSentinels(string modInfo) =>
        modInfo.Length >= 33 && modInfo[^17] == '\n' ? modInfo[16..^16] : "";

    private static bool TryVarint(ReadOnlySpan<byte> span, out ulong value, out int width)
    {
        value = 0;
        var shift = 0;
        for (width = 0; width < span.Length && width < 10; width++)
        {
            var b = span[width];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                width++;
                return true;
            }
            shift += 7;
        }
        return false;
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static ushort U16(ReadOnlySpan<byte> s, bool bigEndian) => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    private static uint U32(ReadOnlySpan<byte> s, bool bigEndian) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    private static ulong U64(ReadOnlySpan<byte> s, bool bigEndian) => bigEndian ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);
}

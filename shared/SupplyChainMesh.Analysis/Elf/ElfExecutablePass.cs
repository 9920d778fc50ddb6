using System.Buffers;
using SupplyChainMesh.Analysis.Go;

namespace SupplyChainMesh.Analysis.Elf;

/// <summary>
/// Reads an ELF executable once, forward, with bounded memory, for every binary detector at the same time.
/// The ELF header and program headers at the start say where the loaded segments end and where the section header
/// table lies. The Go build info sits inside the loaded data segment and is found by a forward scan
/// (<see cref="GoBuildInfoReader"/>, 256 KiB at a time). Sections that are not loaded (cargo-auditable's
/// <c>.dep-v0</c>, which its object file marks without SHF_ALLOC; <c>.shstrtab</c>; symbols) come after the loaded
/// segments, so only the bytes from the end of the last loaded segment (at most <see cref="MaxUnloadedBytes"/>) and the
/// section header table are kept as the stream goes by. A 48 MiB executable so costs a few hundred KiB, not 48 MiB.
/// </summary>
internal static class ElfExecutablePass
{
    /// <summary>
    /// Unloaded bytes kept after the last loaded segment. Stripped and release binaries have a few KiB to a few MiB
    /// there (symbols); debug info beyond this is not kept, and a <c>.dep-v0</c> past it is reported as not read.
    /// </summary>
    public const int MaxUnloadedBytes = 16 * 1024 * 1024;

    /// <summary>The ELF header and the program headers normally fit in the first few hundred bytes.</summary>
    private const int HeadBytes = 16 * 1024;

    /// <summary>A section header table holds at most 65,535 entries of 64 bytes.</summary>
    private const int MaxSectionTableBytes = 65_535 * 64;

    public static async ValueTask<ElfExecutableScan> ReadAsync(Stream content, long length, ElfPassNeeds needs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var head = ArrayPool<byte>.Shared.Rent(HeadBytes);
        ElfImage? image = null;
        try
        {
            var filled = await content.ReadAtLeastAsync(head.AsMemory(0, HeadBytes), HeadBytes, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (!ElfSectionLocator.IsElf(head.AsSpan(0, filled)))
                return new ElfExecutableScan(false, new(GoBuildInfoReader.Outcome.NotElf, null, null), null);

            if ((needs & ElfPassNeeds.UnloadedSections) != 0)
            {
                image = new ElfImage(Math.Max(length, filled));
                KeepUnloadedParts(image, head.AsSpan(0, filled));
                image.Capture(0, head.AsSpan(0, filled));
            }
            var stream = new CapturingStream(head, filled, content, image);
            GoBuildInfoReader.Result? go = null;
            if ((needs & ElfPassNeeds.GoBuildInfo) != 0)
                go = await GoBuildInfoReader.ReadAsync(stream, cancellationToken).ConfigureAwait(false);
            if (image is not null)
                await stream.SkipToAsync(image.KeptEnd, cancellationToken).ConfigureAwait(false);
            var scan = new ElfExecutableScan(true, go, image);
            image = null;
            return scan;
        }
        finally
        {
            image?.Dispose();
            ArrayPool<byte>.Shared.Return(head);
        }
    }

    /// <summary>Reserves the header, the bytes after the last loaded segment and the section header table.</summary>
    private static void KeepUnloadedParts(ElfImage image, ReadOnlySpan<byte> head)
    {
        var is64 = head[4] == 2;
        var bigEndian = head[5] == 2;
        image.Keep(0, is64 ? 64 : 52);
        var loadedEnd = LoadedEnd(head, is64, bigEndian);
        image.Keep(loadedEnd, (int)Math.Min(MaxUnloadedBytes, image.FileLength - loadedEnd));
        if (head.Length < (is64 ? 64 : 52)) return;
        var shoff = is64 ? ElfSectionLocator.U64(head[40..], bigEndian) : ElfSectionLocator.U32(head[32..], bigEndian);
        var tableLength = (long)ElfSectionLocator.U16(head[(is64 ? 58 : 46)..], bigEndian) * ElfSectionLocator.U16(head[(is64 ? 60 : 48)..], bigEndian);
        if (shoff > 0 && shoff < (ulong)image.FileLength && tableLength is > 0 and <= MaxSectionTableBytes)
            image.Keep((long)shoff, (int)Math.Min((ulong)tableLength, (ulong)image.FileLength - shoff));
    }

    /// <summary>
    /// Where the last PT_LOAD segment's file bytes end, or 0 (keep from the start) when the program headers are absent,
    /// corrupt, or beyond the head.
    /// </summary>
    private static long LoadedEnd(ReadOnlySpan<byte> head, bool is64, bool bigEndian)
    {
        if (head.Length < (is64 ? 64 : 52)) return 0;
        var phoff = is64 ? ElfSectionLocator.U64(head[32..], bigEndian) : ElfSectionLocator.U32(head[28..], bigEndian);
        int phentsize = ElfSectionLocator.U16(head[(is64 ? 54 : 42)..], bigEndian);
        int phnum = ElfSectionLocator.U16(head[(is64 ? 56 : 44)..], bigEndian);
        if (phoff == 0 || phentsize < (is64 ? 56 : 32) || phoff + (ulong)phentsize * (ulong)phnum > (ulong)head.Length) return 0;
        ulong end = 0;
        for (var i = 0; i < phnum; i++)
        {
            var ph = head.Slice((int)phoff + i * phentsize, phentsize);
            const uint PtLoad = 1;
            if (ElfSectionLocator.U32(ph, bigEndian) != PtLoad) continue;
            var offset = is64 ? ElfSectionLocator.U64(ph[8..], bigEndian) : ElfSectionLocator.U32(ph[4..], bigEndian);
            var size = is64 ? ElfSectionLocator.U64(ph[32..], bigEndian) : ElfSectionLocator.U32(ph[16..], bigEndian);
            if (offset > long.MaxValue / 2 || size > long.MaxValue / 2) return 0;
            end = Math.Max(end, offset + size);
        }
        return (long)end;
    }

    /// <summary>The head already read, then the rest of the file; every byte read is offered to the kept windows.</summary>
    private sealed class CapturingStream(byte[] head, int headLength, Stream rest, ElfImage? image) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read;
            if (_position < headLength)
            {
                read = Math.Min(buffer.Length, headLength - (int)_position);
                head.AsSpan((int)_position, read).CopyTo(buffer);
            }
            else
            {
                read = rest.Read(buffer);
                image?.Capture(_position, buffer[..read]);
            }
            _position += read;
            return read;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < headLength) return Read(buffer.Span);
            var read = await rest.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            image?.Capture(_position, buffer.Span[..read]);
            _position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        /// <summary>Reads on (and so captures) up to <paramref name="end"/> or the end of the file.</summary>
        public async ValueTask SkipToAsync(long end, CancellationToken cancellationToken)
        {
            if (_position >= end) return;
            var scratch = ArrayPool<byte>.Shared.Rent(64 * 1024);
            try
            {
                while (_position < end)
                {
                    var read = await ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, end - _position)), cancellationToken).ConfigureAwait(false);
                    if (read == 0) return;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

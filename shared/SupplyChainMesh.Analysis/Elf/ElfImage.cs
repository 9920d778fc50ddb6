using System.Buffers;

namespace SupplyChainMesh.Analysis.Elf;

/// <summary>
/// The parts of an ELF file that a forward pass kept: a few windows at known file offsets (the header, the bytes after
/// the loaded segments, the section header table), each in a buffer rented from <see cref="ArrayPool{T}.Shared"/>.
/// Offsets outside the file are corrupt headers; offsets inside the file but outside every window were not kept.
/// Dispose to return the buffers.
/// </summary>
internal sealed class ElfImage : IDisposable
{
    private readonly List<Window> _windows = [];

    public ElfImage(long fileLength) => FileLength = fileLength;

    /// <summary>The file's length as the layer declared it.</summary>
    public long FileLength { get; }

    /// <summary>An image of a file held whole in memory (not rented; for callers that already have the bytes).</summary>
    public static ElfImage Whole(ReadOnlyMemory<byte> bytes)
    {
        var image = new ElfImage(bytes.Length);
        image._windows.Add(new Window(0, bytes.ToArray(), bytes.Length, rented: false) { Filled = bytes.Length });
        return image;
    }

    /// <summary>Reserves a window [<paramref name="offset"/>, +<paramref name="length"/>) to be filled by <see cref="Capture"/>.</summary>
    public void Keep(long offset, int length)
    {
        if (length <= 0 || offset < 0 || offset >= FileLength) return;
        foreach (var w in _windows)
        {
            if (offset >= w.Offset && offset + length <= w.Offset + w.Capacity) return; // already inside one
        }
        _windows.Add(new Window(offset, ArrayPool<byte>.Shared.Rent(length), length, rented: true));
    }

    /// <summary>Copies what falls inside the windows of <paramref name="bytes"/>, read at file offset <paramref name="offset"/>.</summary>
    public void Capture(long offset, ReadOnlySpan<byte> bytes)
    {
        foreach (var w in _windows)
        {
            var from = Math.Max(offset, w.Offset);
            var to = Math.Min(offset + bytes.Length, w.Offset + w.Capacity);
            if (from >= to) continue;
            bytes[(int)(from - offset)..(int)(to - offset)].CopyTo(w.Buffer.AsSpan((int)(from - w.Offset)));
            w.Filled = Math.Max(w.Filled, (int)(to - w.Offset));
        }
    }

    /// <summary>The end of the last window: a pass that needs the windows reads the file up to here.</summary>
    public long KeptEnd => _windows.Count == 0 ? 0 : _windows.Max(w => w.Offset + w.Capacity);

    /// <summary>The bytes at [offset, offset + length) when one window holds all of them.</summary>
    public bool TryRead(ulong offset, ulong length, out ReadOnlyMemory<byte> bytes)
    {
        foreach (var w in _windows)
        {
            if (offset < (ulong)w.Offset || length > (ulong)w.Filled || offset - (ulong)w.Offset > (ulong)w.Filled - length) continue;
            bytes = w.Buffer.AsMemory((int)(offset - (ulong)w.Offset), (int)length);
            return true;
        }
        bytes = default;
        return false;
    }

    public void Dispose()
    {
        foreach (var w in _windows)
        {
            if (w.Rented) ArrayPool<byte>.Shared.Return(w.Buffer);
        }
        _windows.Clear();
    }

    private sealed class Window(long offset, byte[] buffer, int capacity, bool rented)
    {
        public long Offset { get; } = offset;

        public byte[] Buffer { get; } = buffer;

        public int Capacity { get; } = capacity;

        public bool Rented { get; } = rented;

        public int Filled { get; set; }
    }
}

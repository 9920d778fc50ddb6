using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// Inflates a gzip stream (several concatenated members too, as <c>pigz</c> and some registries write them) with the
/// runtime's zlib, feeding it input in large chunks (see <see cref="ZlibNative"/> for why) and inflating straight into
/// the caller's buffer. zlib checks each member's CRC-32 and length. Corrupt data throws
/// <see cref="InvalidDataException"/>; data that ends inside a member throws <see cref="EndOfStreamException"/>.
/// Synchronous: a layer is read on a thread of its own.
/// </summary>
internal sealed unsafe class GzipInflateStream : Stream
{
    /// <summary>Compressed bytes read from the source at once (128 KiB measured best; 8 KiB is what GZipStream uses).</summary>
    public const int DefaultInputSize = 128 << 10;

    private readonly Stream _source;
    private readonly bool _leaveOpen;
    private byte[]? _input;
    private readonly byte* _inputStart;
    private ZlibNative.ZStream _z;
    private bool _initialised;
    private bool _sourceEnded;
    private bool _finished;

    public GzipInflateStream(Stream source, bool leaveOpen = false, int inputSize = DefaultInputSize)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
        _leaveOpen = leaveOpen;
        // Pinned for the stream's life: zlib keeps a pointer into the input between calls.
        _input = GC.AllocateUninitializedArray<byte>(inputSize, pinned: true);
        _inputStart = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_input));
        fixed (ZlibNative.ZStream* z = &_z)
        {
            Check(ZlibNative.InflateInit2(z, ZlibNative.GzipWindowBits), "initialise");
        }
        _initialised = true;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_input is null, this);
        if (buffer.IsEmpty || _finished) return 0;
        while (true)
        {
            if (_z.AvailIn == 0) FillInput();
            int result;
            var outputBefore = (uint)buffer.Length;
            var inputBefore = _z.AvailIn;
            fixed (byte* output = buffer)
            fixed (ZlibNative.ZStream* z = &_z)
            {
                z->NextOut = output;
                z->AvailOut = outputBefore;
                result = ZlibNative.Inflate(z, ZlibNative.NoFlush);
            }
            var produced = (int)(outputBefore - _z.AvailOut);
            switch (result)
            {
                case ZlibNative.Ok or ZlibNative.BufferError:
                    if (produced > 0) return produced;
                    if (_z.AvailIn == inputBefore)
                    {
                        // No progress: zlib needs more input than it has.
                        if (_sourceEnded) throw new EndOfStreamException("the gzip data ends inside a member");
                        FillInput(keepPending: true);
                    }
                    continue;
                case ZlibNative.StreamEnd:
                    if (!StartNextMember()) _finished = true;
                    if (produced > 0 || _finished) return produced;
                    continue;
                case ZlibNative.NeedDictionary:
                    throw new InvalidDataException("the deflate data asks for a preset dictionary, which gzip never uses");
                default:
                    throw new InvalidDataException(
                        $"zlib error {result}: {ZlibNative.MessageOf(_z) ?? "invalid compressed data"}");
            }
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    /// <summary>After a member's end: true when another gzip member follows. Zero padding or other trailing bytes end
    /// the data (as <c>gzip -d</c> does); the rest of the source is read so its byte count and digest are complete.</summary>
    private bool StartNextMember()
    {
        while (_z.AvailIn < 2 && !_sourceEnded)
        {
            if (!FillInput(keepPending: true)) break;
        }
        var pending = PendingInput();
        if (pending.Length >= 2 && pending[0] == 0x1f && pending[1] == 0x8b)
        {
            fixed (ZlibNative.ZStream* z = &_z)
            {
                Check(ZlibNative.InflateReset2(z, ZlibNative.GzipWindowBits), "reset");
            }
            return true;
        }
        _z.AvailIn = 0;
        var input = _input!;
        while (!_sourceEnded)
        {
            if (_source.Read(input) == 0) _sourceEnded = true;
        }
        return false;
    }

    private ReadOnlySpan<byte> PendingInput()
    {
        var input = _input!;
        var offset = (int)(_z.NextIn - _inputStart);
        return input.AsSpan(offset, (int)_z.AvailIn);
    }

    /// <summary>Reads more compressed input; false at the source's end. With <paramref name="keepPending"/>, unread
    /// input is moved to the front first.</summary>
    private bool FillInput(bool keepPending = false)
    {
        if (_sourceEnded) return false;
        var input = _input!;
        var kept = 0;
        if (keepPending && _z.AvailIn > 0)
        {
            var pending = PendingInput();
            pending.CopyTo(input);
            kept = pending.Length;
            if (kept == input.Length) throw new InvalidDataException("zlib made no progress on a full input buffer");
        }
        var n = _source.Read(input.AsSpan(kept));
        if (n == 0) _sourceEnded = true;
        _z.NextIn = _inputStart;
        _z.AvailIn = (uint)(kept + n);
        return n > 0;
    }

    private static void Check(int result, string what)
    {
        if (result == ZlibNative.Ok) return;
        if (result == -4) throw new InsufficientMemoryException($"zlib could not {what} the inflater: out of memory");
        throw new InvalidOperationException($"zlib could not {what} the inflater (error {result})");
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    ~GzipInflateStream() => Dispose(false);

    protected override void Dispose(bool disposing)
    {
        if (_initialised)
        {
            _initialised = false;
            fixed (ZlibNative.ZStream* z = &_z)
            {
                // Ending frees what init allocated; it cannot fail in a way worth reporting from Dispose.
                _ = ZlibNative.InflateEnd(z);
            }
        }
        if (disposing)
        {
            _input = null;
            if (!_leaveOpen) _source.Dispose();
        }
        base.Dispose(disposing);
    }
}

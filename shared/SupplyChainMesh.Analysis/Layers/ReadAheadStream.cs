using System.Buffers;
using System.Runtime.ExceptionServices;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// A forward-only read buffer over the decompressor: the decompressor inflates in long runs into one large buffer while
/// the tar reader takes its 512-byte headers and 4 KiB skips from memory. It also counts what it read, enforces a byte
/// limit (decompression bombs), turns decompressor errors into typed ones and, once it failed, fails every later read
/// the same way: a detector that swallows the error cannot make the tar reader continue on a broken stream.
/// <para>
/// Synchronous by design: a layer is read on a thread of its own, and the async adapters of the tar reader cost more
/// than the whole tar walk (measured). Async reads complete synchronously.
/// </para>
/// </summary>
internal sealed class ReadAheadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private readonly Func<long, Exception>? _limitExceeded;
    private readonly Func<Exception, Exception?>? _translate;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _innerEnded;
    private ExceptionDispatchInfo? _fault;

    public ReadAheadStream(
        Stream inner,
        int bufferSize,
        long limit = long.MaxValue,
        Func<long, Exception>? limitExceeded = null,
        Func<Exception, Exception?>? translate = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 4096);
        _inner = inner;
        _limit = limit;
        _limitExceeded = limitExceeded;
        _translate = translate;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>Bytes read from the inner stream so far.</summary>
    public long InnerBytes { get; private set; }

    /// <summary>True once a reader asked for bytes and got none: the data ended.</summary>
    public bool ConsumerSawEnd { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    /// <summary>Bytes handed to readers so far.</summary>
    public override long Position
    {
        get => InnerBytes - (_end - _start);
        set => throw new NotSupportedException();
    }

    public void ThrowIfFaulted() => _fault?.Throw();

    public override int Read(Span<byte> buffer)
    {
        ThrowIfFaulted();
        if (buffer.IsEmpty) return 0;
        if (_start == _end)
        {
            _start = _end = 0;
            var own = Buffer;
            while (_end < own.Length && !_innerEnded) FillOnce(own);
            if (_start == _end)
            {
                ConsumerSawEnd = true;
                return 0;
            }
        }
        var n = Math.Min(buffer.Length, _end - _start);
        Buffer.AsSpan(_start, n).CopyTo(buffer);
        _start += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Reads and discards everything left, so trailing compressed data is inflated and checked too.</summary>
    public void Drain()
    {
        ThrowIfFaulted();
        var own = Buffer;
        while (!_innerEnded)
        {
            _start = _end = 0;
            FillOnce(own);
        }
        _start = _end = 0;
    }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(ReadAheadStream));

    private void FillOnce(byte[] own)
    {
        int n;
        try
        {
            n = _inner.Read(own.AsSpan(_end));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = (e as LayerAnalysisException) ?? _translate?.Invoke(e) ?? e;
            _fault = ExceptionDispatchInfo.Capture(error);
            throw error;
        }
        if (n == 0)
        {
            _innerEnded = true;
            return;
        }
        _end += n;
        InnerBytes += n;
        if (InnerBytes > _limit)
        {
            var error = _limitExceeded?.Invoke(_limit) ?? new InvalidDataException($"the stream is longer than {_limit} bytes");
            _fault = ExceptionDispatchInfo.Capture(error);
            throw error;
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
        base.Dispose(disposing);
    }
}

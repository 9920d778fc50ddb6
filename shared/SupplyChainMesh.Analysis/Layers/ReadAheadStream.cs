using System.Buffers;
using System.Runtime.ExceptionServices;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// A forward-only read buffer over the decompressor: the decompressor inflates in long runs into one large buffer while
/// the tar reader takes its 512-byte headers from memory and passes over unwanted data without copying it (seeking
/// instead when the inner stream is a seekable plain tar). It also counts what it read, enforces a byte
/// limit (decompression bombs), turns decompressor errors into typed ones and, once it failed, fails every later read
/// the same way: a detector that swallows the error cannot make the tar reader continue on a broken stream.
/// <para>
/// Synchronous by design: a layer is read on a thread of its own, and the async adapters of the tar reader cost more
/// than the whole tar walk (measured). Async reads complete synchronously. With <c>prefetch</c>, the inner stream is
/// read into a second buffer on another thread (<see cref="BufferPrefetcher"/>) while this one is consumed.
/// </para>
/// </summary>
internal sealed class ReadAheadStream : Stream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private readonly Func<long, Exception>? _limitExceeded;
    private readonly Func<Exception, Exception?>? _translate;
    private byte[]? _buffer;
    private byte[]? _spare;
    private BufferPrefetcher? _prefetcher;
    private int _start;
    private int _end;
    private bool _innerEnded;
    private ExceptionDispatchInfo? _fault;

    public ReadAheadStream(
        Stream inner,
        int bufferSize,
        long limit = long.MaxValue,
        Func<long, Exception>? limitExceeded = null,
        Func<Exception, Exception?>? translate = null,
        bool prefetch = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 4096);
        _inner = inner;
        _limit = limit;
        _limitExceeded = limitExceeded;
        _translate = translate;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        if (prefetch) _spare = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>Bytes read from the inner stream so far.</summary>
    public long InnerBytes { get; private set; }

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
            Refill();
            if (_end == 0) return 0;
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

    /// <summary>
    /// Reads exactly <paramref name="destination"/>'s length, or fewer only when the data ends (the count says how many):
    /// a tar header taken from memory in one copy when it is buffered, which it nearly always is.
    /// </summary>
    public int ReadUpTo(Span<byte> destination)
    {
        if (_end - _start >= destination.Length)
        {
            ThrowIfFaulted();
            Buffer.AsSpan(_start, destination.Length).CopyTo(destination);
            _start += destination.Length;
            return destination.Length;
        }
        var total = 0;
        while (total < destination.Length)
        {
            var n = Read(destination[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>
    /// Passes over <paramref name="count"/> bytes without copying them anywhere: inside the buffer by moving its start,
    /// past it by seeking when the inner stream can (a plain tar read from a file), else by reading into the buffer and
    /// dropping it. False when the data ends first.
    /// </summary>
    public bool Skip(long count)
    {
        ThrowIfFaulted();
        var buffered = _end - _start;
        if (count <= buffered)
        {
            _start += (int)count;
            return true;
        }
        count -= buffered;
        _start = _end = 0;
        if (_spare is null && _inner.CanSeek)
        {
            // Bytes passed over still count towards the limit: the layer claims to be that large.
            if (InnerBytes + count > _limit) throw Fault(LimitExceeded());
            var moved = SeekInner(count);
            InnerBytes += moved;
            return moved == count;
        }
        while (count > 0)
        {
            Refill();
            if (_end == 0) return false;
            var n = (int)Math.Min(count, _end);
            _start = n;
            count -= n;
        }
        return true;
    }

    /// <summary>Seeks the inner stream forward; returns how far it got (less than asked at the end of the data).</summary>
    private long SeekInner(long count)
    {
        try
        {
            var before = _inner.Position;
            return _inner.Seek(count, SeekOrigin.Current) - before;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Fault((e as LayerAnalysisException) ?? _translate?.Invoke(e) ?? e);
        }
    }

    private Exception LimitExceeded() =>
        _limitExceeded?.Invoke(_limit) ?? new InvalidDataException($"the stream is longer than {_limit} bytes");

    /// <summary>Records <paramref name="error"/> as the fault every later read rethrows, and returns it to throw.</summary>
    private Exception Fault(Exception error)
    {
        _fault = ExceptionDispatchInfo.Capture(error);
        return error;
    }

    /// <summary>Reads and discards everything left, so trailing compressed data is inflated and checked too.</summary>
    public void Drain()
    {
        ThrowIfFaulted();
        while (!_innerEnded) Refill();
        _start = _end = 0;
    }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(ReadAheadStream));

    /// <summary>Drops what the buffer holds and fills it again: from the prefetch thread's buffer, or by reading.</summary>
    private void Refill()
    {
        _start = _end = 0;
        if (_innerEnded) return;
        if (_spare is null)
        {
            var own = Buffer;
            while (_end < own.Length && !_innerEnded) FillOnce(own);
            return;
        }
        if (_prefetcher is null)
        {
            _prefetcher = new BufferPrefetcher(_inner);
            _prefetcher.Fill(_spare);
        }
        int n;
        bool ended;
        try
        {
            n = _prefetcher.Take(out ended);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Fault((e as LayerAnalysisException) ?? _translate?.Invoke(e) ?? e);
        }
        (_buffer, _spare) = (_spare, Buffer);
        _end = n;
        InnerBytes += n;
        if (ended) _innerEnded = true;
        else _prefetcher.Fill(_spare);
        if (InnerBytes > _limit) throw Fault(LimitExceeded());
    }

    private void FillOnce(byte[] own)
    {
        int n;
        try
        {
            n = _inner.Read(own.AsSpan(_end));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Fault((e as LayerAnalysisException) ?? _translate?.Invoke(e) ?? e);
        }
        if (n == 0)
        {
            _innerEnded = true;
            return;
        }
        _end += n;
        InnerBytes += n;
        if (InnerBytes > _limit) throw Fault(LimitExceeded());
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // The prefetch thread may be writing into a buffer: it ends before the buffers go back to the pool.
            _prefetcher?.Dispose();
            _prefetcher = null;
            if (_buffer is { } buffer) ArrayPool<byte>.Shared.Return(buffer);
            if (_spare is { } spare) ArrayPool<byte>.Shared.Return(spare);
            _buffer = _spare = null;
        }
        base.Dispose(disposing);
    }
}

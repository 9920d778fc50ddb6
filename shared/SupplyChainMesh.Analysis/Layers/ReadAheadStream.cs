using System.Buffers;
using System.Runtime.ExceptionServices;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// A forward-only read buffer over another stream. The layer pipeline puts one under the decompressor (so blob reads are
/// large whatever the source) and one above it (so the decompressor inflates in long runs while the tar reader takes
/// its 512-byte headers and 4 KiB skips from memory). It also counts what it read, enforces a byte limit (decompression
/// bombs), turns decompressor errors into typed ones and, once it failed, fails every later read the same way: a
/// detector that swallows the error cannot make the tar reader continue on a broken stream.
/// </summary>
internal sealed class ReadAheadStream : Stream
{
    private readonly Stream _inner;
    private readonly bool _leaveOpen;
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
        bool leaveOpen = false,
        long limit = long.MaxValue,
        Func<long, Exception>? limitExceeded = null,
        Func<Exception, Exception?>? translate = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bufferSize, 4096);
        _inner = inner;
        _leaveOpen = leaveOpen;
        _limit = limit;
        _limitExceeded = limitExceeded;
        _translate = translate;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>Bytes read from the inner stream so far.</summary>
    public long InnerBytes { get; private set; }

    /// <summary>True once a reader asked for bytes and got none: the data ended.</summary>
    public bool ConsumerSawEnd { get; private set; }

    /// <summary>The error the stream failed with, if any.</summary>
    public Exception? Fault => _fault?.SourceException;

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

    /// <summary>Returns the next <paramref name="count"/> bytes (fewer at the end) without consuming them.</summary>
    public async ValueTask<ReadOnlyMemory<byte>> PeekAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = Buffer;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, buffer.Length);
        if (_end - _start < count && !_innerEnded)
        {
            Compact();
            while (_end < count && !_innerEnded) await FillOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        return buffer.AsMemory(_start, Math.Min(count, _end - _start));
    }

    public void ThrowIfFaulted() => _fault?.Throw();

    public override int Read(Span<byte> buffer)
    {
        ThrowIfFaulted();
        if (buffer.IsEmpty) return 0;
        if (_start == _end)
        {
            _start = _end = 0;
            while (_end < Buffer.Length && !_innerEnded) FillOnce();
            if (_start == _end)
            {
                ConsumerSawEnd = true;
                return 0;
            }
        }
        return Take(buffer);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        return Read(one) == 0 ? -1 : one[0];
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfFaulted();
        if (buffer.IsEmpty) return ValueTask.FromResult(0);
        // The hot path: served from memory without an await.
        if (_start != _end) return ValueTask.FromResult(Take(buffer.Span));
        return FillAndReadAsync(buffer, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Reads and discards everything left, so trailing compressed data is inflated and checked too.</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken)
    {
        ThrowIfFaulted();
        while (!_innerEnded)
        {
            _start = _end = 0;
            await FillOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        _start = _end = 0;
    }

    private async ValueTask<int> FillAndReadAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        _start = _end = 0;
        while (_end < Buffer.Length && !_innerEnded) await FillOnceAsync(cancellationToken).ConfigureAwait(false);
        if (_start == _end)
        {
            ConsumerSawEnd = true;
            return 0;
        }
        return Take(destination.Span);
    }

    private byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(ReadAheadStream));

    private int Take(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, _end - _start);
        Buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        return n;
    }

    private void Compact()
    {
        if (_start == 0) return;
        var buffer = Buffer;
        buffer.AsSpan(_start, _end - _start).CopyTo(buffer);
        _end -= _start;
        _start = 0;
    }

    private void FillOnce()
    {
        int n;
        try
        {
            n = _inner.Read(Buffer.AsSpan(_end));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Fail(e);
        }
        Advance(n);
    }

    private async ValueTask FillOnceAsync(CancellationToken cancellationToken)
    {
        int n;
        try
        {
            n = await _inner.ReadAsync(Buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Fail(e);
        }
        Advance(n);
    }

    private void Advance(int n)
    {
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

    private Exception Fail(Exception e)
    {
        var error = (e as LayerAnalysisException) ?? _translate?.Invoke(e) ?? e;
        _fault = ExceptionDispatchInfo.Capture(error);
        return error;
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
            if (_buffer is { } buffer)
            {
                _buffer = null;
                ArrayPool<byte>.Shared.Return(buffer);
            }
            if (!_leaveOpen) _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}

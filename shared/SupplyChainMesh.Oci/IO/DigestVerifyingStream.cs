using System.Security.Cryptography;

namespace SupplyChainMesh.Oci.IO;

/// <summary>
/// A read-only pass-through that hashes what it hands out and, when the inner stream ends, checks the digest and size
/// the descriptor promised: a mismatch throws <see cref="DigestMismatchException"/> from the read that hit the end,
/// so nothing is buffered. Too many bytes fail as soon as they arrive. A consumer that stops before the end has not
/// verified anything: <see cref="DrainAsync"/> reads the rest. Optionally a read that stalls longer than the idle
/// timeout fails with <paramref name="onTimeout"/>'s exception.
/// </summary>
public sealed class DigestVerifyingStream : Stream
{
    private readonly Stream _inner;
    private readonly string _expectedDigest;
    private readonly long? _expectedSize;
    private readonly IncrementalHash _hash;
    private readonly IDisposable? _owner;
    private readonly TimeSpan _idleTimeout;
    private readonly Func<Exception>? _onTimeout;
    private CancellationTokenSource? _idle;
    private long _read;
    private bool _verified;

    public DigestVerifyingStream(Stream inner, string expectedDigest, long? expectedSize, IDisposable? owner = null,
        TimeSpan? idleTimeout = null, Func<Exception>? onTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(expectedDigest);
        _inner = inner;
        _expectedDigest = expectedDigest;
        _expectedSize = expectedSize is >= 0 ? expectedSize : null;
        _hash = Digests.CreateHash(expectedDigest);
        _owner = owner;
        _idleTimeout = idleTimeout ?? Timeout.InfiniteTimeSpan;
        _onTimeout = onTimeout;
    }

    public string ExpectedDigest => _expectedDigest;

    /// <summary>Bytes handed out so far.</summary>
    public long BytesRead => _read;

    /// <summary>True once the end was reached and digest and size matched.</summary>
    public bool Verified => _verified;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _expectedSize ?? throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var n = _inner.Read(buffer);
        return Account(buffer[..n]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n;
        if (_idleTimeout == Timeout.InfiniteTimeSpan)
        {
            n = await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (_idle is null || !_idle.TryReset())
            {
                _idle?.Dispose();
                _idle = new CancellationTokenSource();
            }
            _idle.CancelAfter(_idleTimeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _idle.Token);
            try
            {
                n = await _inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && _idle.IsCancellationRequested)
            {
                throw _onTimeout?.Invoke() ?? new TimeoutException($"Reading blob {_expectedDigest} stalled for {_idleTimeout}.");
            }
        }
        return Account(buffer.Span[..n]);
    }

    /// <summary>Reads (and discards) the rest, so the digest is checked even when the consumer stopped early.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken = default)
    {
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (await ReadAsync(buffer, cancellationToken).ConfigureAwait(false) > 0) { }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private int Account(ReadOnlySpan<byte> data)
    {
        if (data.Length > 0)
        {
            _hash.AppendData(data);
            _read += data.Length;
            if (_read > _expectedSize)
                throw new DigestMismatchException(_expectedDigest, null,
                    $"Blob {_expectedDigest} is longer than the {_expectedSize} bytes its descriptor gives.");
            return data.Length;
        }
        if (!_verified)
        {
            if (_expectedSize is { } size && _read != size)
                throw new DigestMismatchException(_expectedDigest, null,
                    $"Blob {_expectedDigest} ended after {_read} bytes; its descriptor gives {size}.");
            var actual = Digests.Format(_expectedDigest, _hash.GetHashAndReset());
            if (!string.Equals(actual, _expectedDigest, StringComparison.Ordinal))
                throw new DigestMismatchException(_expectedDigest, actual, $"Blob content hashes to {actual}, not {_expectedDigest}.");
            _verified = true;
        }
        return 0;
    }

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _owner?.Dispose();
            _hash.Dispose();
            _idle?.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        _owner?.Dispose();
        _hash.Dispose();
        _idle?.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }
}

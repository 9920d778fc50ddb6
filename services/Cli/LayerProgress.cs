using SupplyChainMesh.Oci.Manifests;

namespace SupplyChainMesh.Cli;

/// <summary>One line on stderr per layer started and finished, so long pulls show they are moving.</summary>
internal sealed class LayerProgress(TextWriter stderr, int total)
{
    private readonly object _gate = new();
    private int _done;

    public void Started(BlobDescriptor layer)
    {
        lock (_gate) stderr.WriteLine($"scm: reading layer {Short(layer.Digest)} ({Format.Bytes(layer.Size)})");
    }

    public void Finished(BlobDescriptor layer)
    {
        lock (_gate) stderr.WriteLine($"scm: layer {Short(layer.Digest)} done ({++_done}/{total})");
    }

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}

/// <summary>Calls back once when the stream is closed.</summary>
internal sealed class ProgressStream(Stream inner, Action onClose) : Stream
{
    private int _closed;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => inner.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        inner.ReadAsync(buffer, offset, count, cancellationToken);

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            if (Interlocked.Exchange(ref _closed, 1) == 0) onClose();
        }
        finally
        {
            await base.DisposeAsync().ConfigureAwait(false);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            if (Interlocked.Exchange(ref _closed, 1) == 0) onClose();
        }
        base.Dispose(disposing);
    }
}

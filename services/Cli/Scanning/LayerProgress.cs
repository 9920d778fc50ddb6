using SupplyChainMesh.Oci.Manifests;

namespace SupplyChainMesh.Cli.Scanning;

/// <summary>
/// Progress of a pull on stderr (never stdout, which carries the report): a line when a layer starts, every
/// <see cref="Step"/> bytes read from it, and when it is done. Layers are read in parallel, so lines are whole and locked.
/// </summary>
internal sealed class LayerProgress(TextWriter stderr, int total)
{
    public const long Step = 16L * 1024 * 1024;

    private readonly object _gate = new();
    private int _done;

    public void Started(BlobDescriptor layer)
    {
        lock (_gate) stderr.WriteLine($"scm: reading layer {Short(layer.Digest)} ({Format.Bytes(layer.Size)})");
    }

    public void Read(BlobDescriptor layer, long bytes)
    {
        lock (_gate) stderr.WriteLine($"scm: layer {Short(layer.Digest)} {Format.Bytes(bytes)} / {Format.Bytes(layer.Size)}");
    }

    public void Finished(BlobDescriptor layer, long bytes)
    {
        lock (_gate) stderr.WriteLine($"scm: layer {Short(layer.Digest)} done, {Format.Bytes(bytes)} ({++_done}/{total})");
    }

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}

/// <summary>Counts the bytes read through it, reports every <see cref="LayerProgress.Step"/>, and once when closed.</summary>
internal sealed class ProgressStream(Stream inner, BlobDescriptor layer, LayerProgress progress) : Stream
{
    private long _read;
    private long _nextReport = LayerProgress.Step;
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

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => Count(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken).ConfigureAwait(false));

    public override void Flush() { }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await inner.DisposeAsync().ConfigureAwait(false);
            if (Interlocked.Exchange(ref _closed, 1) == 0) progress.Finished(layer, _read);
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
            if (Interlocked.Exchange(ref _closed, 1) == 0) progress.Finished(layer, _read);
        }
        base.Dispose(disposing);
    }

    private int Count(int n)
    {
        _read += n;
        if (_read >= _nextReport)
        {
            progress.Read(layer, _read);
            _nextReport = (_read / LayerProgress.Step + 1) * LayerProgress.Step;
        }
        return n;
    }
}

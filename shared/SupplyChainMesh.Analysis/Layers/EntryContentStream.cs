namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// What a detector gets for a wanted file: the tar entry's bounded data, read-only, and not closable (the tar reader
/// still needs the stream under it when the detector is done, whatever the detector disposes).
/// </summary>
internal sealed class EntryContentStream(Stream inner, long length) : Stream
{
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(Span<byte> buffer)
    {
        var n = inner.Read(Limit(buffer.Length) is var max && max < buffer.Length ? buffer[..max] : buffer);
        _position += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var max = Limit(buffer.Length);
        var n = await inner.ReadAsync(max < buffer.Length ? buffer[..max] : buffer, cancellationToken).ConfigureAwait(false);
        _position += n;
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    private int Limit(int requested) => (int)Math.Min(requested, Math.Max(0, length - _position));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

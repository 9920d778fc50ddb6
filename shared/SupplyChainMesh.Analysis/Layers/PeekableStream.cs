namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// The blob as the decompressor reads it: the first bytes read ahead once (to detect the compression by its magic),
/// then straight reads of the source, counted. No buffer of its own: the decompressor buffers its input. Seeks forward
/// from the current position when the source can (a plain tar in a file: the tar reader passes over unwanted data).
/// </summary>
internal sealed class PeekableStream(Stream inner) : Stream
{
    private readonly byte[] _head = new byte[LayerCompressionDetector.MagicLength];
    private int _headLength = -1;
    private int _headPosition;

    /// <summary>Bytes read from the source so far.</summary>
    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => BytesRead - (_headLength < 0 ? 0 : _headLength - _headPosition);
        set => throw new NotSupportedException();
    }

    /// <summary>The first bytes of the blob (fewer when it is shorter), without consuming them.</summary>
    public ReadOnlySpan<byte> Peek()
    {
        if (_headLength < 0)
        {
            _headLength = inner.ReadAtLeast(_head, _head.Length, throwOnEndOfStream: false);
            BytesRead += _headLength;
        }
        return _head.AsSpan(_headPosition, _headLength - _headPosition);
    }

    public override int Read(Span<byte> buffer)
    {
        if (_headLength > _headPosition)
        {
            var n = Math.Min(buffer.Length, _headLength - _headPosition);
            _head.AsSpan(_headPosition, n).CopyTo(buffer);
            _headPosition += n;
            return n;
        }
        var read = inner.Read(buffer);
        BytesRead += read;
        return read;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    /// <summary>
    /// Only forward from the current position (what the layer reader needs), and never past the end of the source: the
    /// position returned says how far it got, so a size that claims more than the file holds reads as truncation.
    /// </summary>
    public override long Seek(long offset, SeekOrigin origin)
    {
        if (origin != SeekOrigin.Current || offset < 0) throw new NotSupportedException("only forward seeks from the current position");
        var fromHead = Math.Min(offset, Math.Max(0, _headLength - _headPosition));
        _headPosition += (int)fromHead;
        var rest = Math.Min(offset - fromHead, Math.Max(0, inner.Length - inner.Position));
        if (rest > 0)
        {
            inner.Seek(rest, SeekOrigin.Current);
            BytesRead += rest;
        }
        return Position;
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

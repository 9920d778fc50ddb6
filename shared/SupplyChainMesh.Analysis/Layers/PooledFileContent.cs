using System.Buffers;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// The whole content of a small layer file in a buffer rented from <see cref="ArrayPool{T}.Shared"/>, for detectors that
/// parse metadata files (package.json, METADATA, deps.json, ...) in one go. Dispose to return the buffer.
/// </summary>
internal sealed class PooledFileContent : IDisposable
{
    private byte[]? _buffer;

    private PooledFileContent(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, Length);

    /// <summary>
    /// Reads <paramref name="content"/> to its end. Returns null when it holds more than <paramref name="maxBytes"/>
    /// (the caller reports that): a metadata file that large is not what the detector expects.
    /// </summary>
    public static async ValueTask<PooledFileContent?> ReadAsync(Stream content, long declaredLength, int maxBytes, CancellationToken cancellationToken)
    {
        if (declaredLength > maxBytes) return null;
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(declaredLength + 1, 256, maxBytes + 1L));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes) { ArrayPool<byte>.Shared.Return(buffer); return null; }
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await content.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                length += read;
            }
            if (length > maxBytes) { ArrayPool<byte>.Shared.Return(buffer); return null; }
            return new PooledFileContent(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer is { } b)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(b);
        }
    }
}

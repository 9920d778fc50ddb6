using System.Buffers;

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>
/// A wanted file read whole into a pooled buffer, for detectors that parse a small database at once (dpkg status,
/// os-release). Dispose returns the buffer. The layer reader bounds what it hands out, so the size is bounded too.
/// </summary>
public sealed class FileContent : IDisposable
{
    private byte[]? _buffer;

    private FileContent(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlySpan<byte> Span => (_buffer ?? throw new ObjectDisposedException(nameof(FileContent))).AsSpan(0, Length);

    public ReadOnlyMemory<byte> Memory => (_buffer ?? throw new ObjectDisposedException(nameof(FileContent))).AsMemory(0, Length);

    /// <summary>Reads <paramref name="content"/> to its end; <paramref name="expectedLength"/> sizes the first buffer.</summary>
    public static async ValueTask<FileContent> ReadAsync(Stream content, long expectedLength, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(expectedLength + 1, 256, Array.MaxLength));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= Array.MaxLength) throw new InvalidDataException("the file is too large to read into memory");
                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, Array.MaxLength));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var n = await content.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (n == 0) break;
                length += n;
            }
            return new FileContent(buffer, length);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

namespace SupplyChainMesh.Analysis.Layers;

/// <summary>How a layer blob is compressed, as its first bytes say (media types lie often enough not to trust them).</summary>
public enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}

internal static class LayerCompressionDetector
{
    /// <summary>Bytes needed to tell every format we know apart.</summary>
    public const int MagicLength = 6;

    public static LayerCompression Detect(ReadOnlySpan<byte> head, string? digest)
    {
        if (head is [0x1f, 0x8b, ..]) return LayerCompression.Gzip;
        if (head is [0x28, 0xb5, 0x2f, 0xfd, ..]) return LayerCompression.Zstd;
        if (head is [(byte)'B', (byte)'Z', (byte)'h', ..])
            throw new LayerFormatException(digest, "bzip2-compressed layers are not supported (only gzip, zstd and plain tar)");
        if (head is [0xfd, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0x00])
            throw new LayerFormatException(digest, "xz-compressed layers are not supported (only gzip, zstd and plain tar)");
        return LayerCompression.None;
    }
}

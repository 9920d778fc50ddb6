using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Analysis.Tests.LanguageDetection;

/// <summary>Runs one detector on files from disk the way the layer reader would: Wants first, then a forward-only stream.</summary>
internal static class DetectorRun
{
    /// <summary>Detects <paramref name="file"/> as if it sat at <paramref name="layerPath"/> in a layer.</summary>
    public static async Task<CollectingSink> FileAsync(IPackageDetector detector, string file, string layerPath, int mode = 0b110_100_100)
    {
        var sink = new CollectingSink();
        var layerFile = new LayerFile(layerPath, new FileInfo(file).Length, mode);
        Assert.True(detector.Wants(layerFile), $"{detector.Name} should want {layerPath}");
        await using var stream = new ForwardOnlyStream(File.OpenRead(file));
        await detector.DetectAsync(layerFile, stream, sink, CancellationToken.None);
        return sink;
    }

    /// <summary>Detects in-memory content at <paramref name="layerPath"/>; no Wants assertion (hostile inputs use odd names).</summary>
    public static async Task<CollectingSink> BytesAsync(IPackageDetector detector, byte[] content, string layerPath, int mode = 0b111_101_101)
    {
        var sink = new CollectingSink();
        var layerFile = new LayerFile(layerPath, content.Length, mode);
        await using var stream = new ForwardOnlyStream(new MemoryStream(content, writable: false));
        await detector.DetectAsync(layerFile, stream, sink, CancellationToken.None);
        return sink;
    }
}

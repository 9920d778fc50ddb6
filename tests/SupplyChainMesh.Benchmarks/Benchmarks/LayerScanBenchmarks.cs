using System.IO.Compression;
using BenchmarkDotNet.Attributes;
using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Benchmarks.Benchmarks;

/// <summary>
/// A whole-layer scan (inflate, walk the tar, run every detector) against the physical limit: plain
/// <see cref="GZipStream"/> inflating the same blob to <see cref="Stream.Null"/>. The target is a Ratio of at most
/// 1/0.85 = 1.18 for the scan (scan throughput at least 0.85 of inflate throughput).
/// The layer is the largest of the bookworm-minbase / bookworm-apps test images (SCM_TEST_IMAGES, built by
/// ../shared/images/build-images.sh).
/// <code>dotnet run -c Release --project tests/SupplyChainMesh.Benchmarks -- --filter '*LayerScan*' --job short --inProcess</code>
/// </summary>
[MemoryDiagnoser]
public class LayerScanBenchmarks
{
    private string _blob = "";
    private string _digest = "";
    private LayerReader _allDetectors = null!;
    private LayerReader _noDetectors = null!;
    private LayerReader _twoThreads = null!;

    [GlobalSetup]
    public void Setup()
    {
        var images = Environment.GetEnvironmentVariable("SCM_TEST_IMAGES") is { Length: > 0 } dir ? dir : "/work/assets/test-images";
        // layers.tsv: tag, layer, digest, compressed_bytes, uncompressed_bytes, diff_id, created_by
        var largest = File.ReadAllLines(Path.Combine(images, "layers.tsv"))
            .Skip(1)
            .Select(l => l.Split('\t'))
            .Where(f => f[0] is "bookworm-minbase" or "bookworm-apps")
            .MaxBy(f => long.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture))!;
        _digest = largest[2];
        _blob = Path.Combine(images, "oci", "blobs", "sha256", _digest["sha256:".Length..]);
        _allDetectors = new LayerReader(Detectors.All());
        _noDetectors = new LayerReader([]);
        _twoThreads = new LayerReader(Detectors.All(), new LayerAnalysisOptions { PrefetchOnOwnThread = true });
        Console.WriteLine($"// layer {_digest}: {new FileInfo(_blob).Length} bytes; {_allDetectors.AnalyzerVersion}");
    }

    [Benchmark(Baseline = true, Description = "GZipStream inflate to Stream.Null")]
    public long GZipInflate()
    {
        using var file = File.OpenRead(_blob);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        gzip.CopyTo(Stream.Null);
        return file.Position;
    }

    /// <summary>GZipStream's read path (what a pull reader gets): it feeds zlib 8 KiB of input at a time, which is why the
    /// layer reader inflates through <c>GzipInflateStream</c> instead.</summary>
    [Benchmark(Description = "GZipStream Read into 256 KiB")]
    public long GZipRead()
    {
        using var file = File.OpenRead(_blob);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        var buffer = new byte[256 << 10];
        long total = 0;
        int n;
        while ((n = gzip.Read(buffer)) > 0) total += n;
        return total;
    }

    [Benchmark(Description = "Layer scan, all detectors")]
    public async Task<long> ScanAllDetectors()
    {
        await using var file = File.OpenRead(_blob);
        var analysis = await _allDetectors.ReadAsync(_digest, file, CancellationToken.None);
        return analysis.Packages.Count;
    }

    /// <summary>Inflating on a read-ahead thread of its own (LayerAnalysisOptions.PrefetchOnOwnThread): what a second core buys.</summary>
    [Benchmark(Description = "Layer scan, all detectors, read-ahead thread")]
    public async Task<long> ScanAllDetectorsTwoThreads()
    {
        await using var file = File.OpenRead(_blob);
        var analysis = await _twoThreads.ReadAsync(_digest, file, CancellationToken.None);
        return analysis.Packages.Count;
    }

    [Benchmark(Description = "Layer scan, no detectors (tar walk only)")]
    public async Task<long> ScanNoDetectors()
    {
        await using var file = File.OpenRead(_blob);
        var analysis = await _noDetectors.ReadAsync(_digest, file, CancellationToken.None);
        return analysis.Stats.Entries;
    }
}

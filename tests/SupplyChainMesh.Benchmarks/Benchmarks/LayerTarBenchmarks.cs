using System.Formats.Tar;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Oci.IO;

namespace SupplyChainMesh.Benchmarks.Benchmarks;

/// <summary>
/// The uncompressed-tar case (a docker-archive's layer, read in place from the archive, as <c>scm scan
/// docker-archive:</c> does): no inflating to hide behind, so the tar walk and the digest check are the cost. The
/// baseline reads the layer's bytes and does nothing with them; the others add SHA-256 (every blob is verified), the
/// tar walk (System.Formats.Tar's TarReader, and ours), and the detectors.
/// <code>dotnet run -c Release --project tests/SupplyChainMesh.Benchmarks -- --filter '*LayerTar*' --job short --inProcess</code>
/// </summary>
[MemoryDiagnoser]
public class LayerTarBenchmarks
{
    private TarIndex _archive = null!;
    private string _member = "";
    private string _digest = "";
    private long _length;
    private LayerReader _allDetectors = null!;
    private LayerReader _noDetectors = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        var images = Environment.GetEnvironmentVariable("SCM_TEST_IMAGES") is { Length: > 0 } dir ? dir : "/work/assets/test-images";
        _archive = await TarIndex.BuildAsync(Path.Combine(images, "tars", "bookworm-minbase.tar"));
        // The one layer of bookworm-minbase: <hex>.tar, the largest member.
        (_member, _length) = _archive.Names
            .Select(n => (Name: n, Found: _archive.Find(n)))
            .Where(m => m.Found is not null)
            .Select(m => (m.Name, m.Found!.Value.Length))
            .MaxBy(m => m.Length);
        _digest = "sha256:" + Path.GetFileNameWithoutExtension(_member);
        _allDetectors = new LayerReader(Detectors.All());
        _noDetectors = new LayerReader([]);
        Console.WriteLine($"// layer {_member}: {_length} bytes; {_allDetectors.AnalyzerVersion}");
    }

    [Benchmark(Baseline = true, Description = "Read the layer (256 KiB reads)")]
    public long Read()
    {
        using var layer = _archive.Open(_member);
        var buffer = new byte[256 << 10];
        long total = 0;
        int n;
        while ((n = layer.Read(buffer)) > 0) total += n;
        return total;
    }

    [Benchmark(Description = "Read and SHA-256 the layer")]
    public byte[] Hash()
    {
        using var layer = _archive.Open(_member);
        return SHA256.HashData(layer);
    }

    [Benchmark(Description = "TarReader walk, verified stream")]
    public long TarReaderWalk()
    {
        using var layer = Verified();
        using var buffered = new BufferedStream(layer, 256 << 10);
        using var tar = new TarReader(buffered);
        long entries = 0;
        while (tar.GetNextEntry(copyData: false) is not null) entries++;
        return entries;
    }

    [Benchmark(Description = "Layer scan, no detectors, seekable (seeks over data)")]
    public long ScanSeekable()
    {
        using var layer = _archive.Open(_member);
        return _noDetectors.Read(_digest, layer, CancellationToken.None).Stats.Entries;
    }

    [Benchmark(Description = "Layer scan, no detectors, verified stream")]
    public long ScanVerifiedNoDetectors()
    {
        using var layer = Verified();
        return _noDetectors.Read(_digest, layer, CancellationToken.None).Stats.Entries;
    }

    [Benchmark(Description = "Layer scan, all detectors, verified stream (scm scan)")]
    public long ScanVerifiedAllDetectors()
    {
        using var layer = Verified();
        return _allDetectors.Read(_digest, layer, CancellationToken.None).Packages.Count;
    }

    private DigestVerifyingStream Verified() => new(_archive.Open(_member), _digest, _length);
}

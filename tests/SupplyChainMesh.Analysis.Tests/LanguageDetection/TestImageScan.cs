using System.Collections.Concurrent;
using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Analysis.Tests.LanguageDetection;

/// <summary>
/// Runs detectors over the real test images in <c>SCM_TEST_IMAGES/oci</c> (index.json → manifest → layer blobs), streaming
/// each layer's tar once with System.Formats.Tar as the layer reader does. A file several detectors want is buffered
/// once and handed to each. Results are cached per image and detector set: the images are large.
/// </summary>
internal static class TestImageScan
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<ScanResult>>> Cache = new();

    public sealed record Finding(int Layer, Package Package);

    public sealed record ScanResult(IReadOnlyList<Finding> Findings, IReadOnlyList<(string Path, string Reason)> Problems)
    {
        public IEnumerable<Package> By(string detector) => Findings.Select(f => f.Package).Where(p => p.Detector == detector);
    }

    public static string ImagesDirectory => RepositoryLayout.TestImages;

    /// <summary>Scans <paramref name="tag"/> with every detector in <paramref name="detectors"/> (cached by tag and names).</summary>
    public static Task<ScanResult> ScanAsync(string tag, params IPackageDetector[] detectors)
    {
        var key = tag + "|" + string.Join(',', detectors.Select(d => d.Name).Order(StringComparer.Ordinal));
        return Cache.GetOrAdd(key, _ => new Lazy<Task<ScanResult>>(() => Task.Run(() => RunAsync(tag, detectors)))).Value;
    }

    public static string[] LayerBlobs(string tag)
    {
        var oci = Path.Combine(ImagesDirectory, "oci");
        using var index = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(oci, "index.json")));
        var manifestDigest = index.RootElement.GetProperty("manifests").EnumerateArray()
            .Single(m => m.TryGetProperty("annotations", out var a)
                && a.TryGetProperty("org.opencontainers.image.ref.name", out var n) && n.GetString() == tag)
            .GetProperty("digest").GetString()!;
        using var manifest = JsonDocument.Parse(File.ReadAllBytes(BlobPath(oci, manifestDigest)));
        return [.. manifest.RootElement.GetProperty("layers").EnumerateArray().Select(l => BlobPath(oci, l.GetProperty("digest").GetString()!))];
    }

    private static string BlobPath(string oci, string digest)
    {
        var (algorithm, hex) = (digest[..digest.IndexOf(':', StringComparison.Ordinal)], digest[(digest.IndexOf(':', StringComparison.Ordinal) + 1)..]);
        return Path.Combine(oci, "blobs", algorithm, hex);
    }

    private static async Task<ScanResult> RunAsync(string tag, IPackageDetector[] detectors)
    {
        var findings = new List<Finding>();
        var problems = new List<(string, string)>();
        var blobs = LayerBlobs(tag);
        for (var layer = 0; layer < blobs.Length; layer++)
        {
            var sink = new CollectingSink();
            await ScanLayerAsync(blobs[layer], detectors, sink);
            findings.AddRange(sink.Packages.Select(p => new Finding(layer, p)));
            problems.AddRange(sink.Problems);
        }
        return new ScanResult(findings, problems);
    }

    public static async Task ScanLayerAsync(string blobPath, IReadOnlyList<IPackageDetector> detectors, IDetectionSink sink)
    {
        await using var file = File.OpenRead(blobPath);
        var magic = new byte[2];
        file.ReadExactly(magic);
        file.Position = 0;
        Stream tarStream = magic is [0x1f, 0x8b] ? new GZipStream(file, CompressionMode.Decompress) : file;
        await using var _ = tarStream;
        using var reader = new TarReader(tarStream);
        var wanting = new List<IPackageDetector>(2);
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null) continue;
            var path = entry.Name.TrimStart('.').TrimStart('/');
            var layerFile = new LayerFile(path, entry.Length, (int)entry.Mode);
            wanting.Clear();
            foreach (var detector in detectors)
            {
                if (detector.Wants(layerFile)) wanting.Add(detector);
            }
            if (wanting.Count == 1)
            {
                await wanting[0].DetectAsync(layerFile, new ForwardOnlyStream(entry.DataStream), sink, CancellationToken.None);
            }
            else if (wanting.Count > 1)
            {
                var copy = new MemoryStream();
                await entry.DataStream.CopyToAsync(copy);
                foreach (var detector in wanting)
                {
                    copy.Position = 0;
                    await detector.DetectAsync(layerFile, new ForwardOnlyStream(copy), sink, CancellationToken.None);
                }
            }
        }
    }
}

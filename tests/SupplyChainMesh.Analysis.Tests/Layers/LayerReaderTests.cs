using System.Text;
using SupplyChainMesh.Analysis.Layers;

namespace SupplyChainMesh.Analysis.Tests.Layers;

public sealed class LayerReaderTests
{
    private static TestLayer Sample() => new TestLayer()
        .Directory("app")
        .File("app/one.pkg", "left-pad 1.3.0\nlodash 4.17.21\n")
        .File("app/readme.txt", "not wanted")
        .File("app/two.pkg", "express 4.18.2\n");

    private static async Task<(LayerAnalysis Analysis, LinePackageDetector Detector)> ReadAsync(
        byte[] blob, LayerAnalysisOptions? options = null, CancellationToken ct = default)
    {
        var detector = new LinePackageDetector();
        var reader = new LayerReader([detector], options);
        var analysis = await reader.ReadAsync(TestLayer.Source(blob), ct);
        return (analysis, detector);
    }

    [Theory]
    [InlineData("tar", LayerCompression.None)]
    [InlineData("gzip", LayerCompression.Gzip)]
    [InlineData("zstd", LayerCompression.Zstd)]
    public async Task Reads_every_compression_the_same(string kind, LayerCompression expected)
    {
        var layer = Sample();
        var blob = kind switch { "tar" => layer.Tar(), "gzip" => layer.Gzip(), _ => layer.Zstd() };

        var (analysis, detector) = await ReadAsync(blob);

        Assert.Equal(expected, analysis.Compression);
        Assert.Equal(["app/one.pkg", "app/two.pkg"], detector.Seen);
        Assert.Equal(["express@4.18.2", "left-pad@1.3.0", "lodash@4.17.21"],
            analysis.Packages.Select(p => $"{p.Name}@{p.Version}").Order(StringComparer.Ordinal));
        Assert.Equal(["app/one.pkg", "app/two.pkg"], analysis.ScannedFiles);
        Assert.Empty(analysis.Problems);
        Assert.Equal(4, analysis.Stats.Entries);
        Assert.Equal(2, analysis.Stats.FilesScanned);
        Assert.Equal(blob.Length, analysis.Stats.CompressedBytes);
        Assert.Equal(layer.Tar().Length, analysis.Stats.UncompressedBytes);
        Assert.Equal("layers/1;lines/1", analysis.AnalyzerVersion);
    }

    [Fact]
    public async Task Normalises_paths_and_rejects_entries_that_climb_out_of_the_root()
    {
        var blob = new TestLayer()
            .File("./dot/a.pkg", "a 1")
            .File("/abs/b.pkg", "b 1")
            .File("x//y/./c.pkg", "c 1")
            .File("../escape.pkg", "evil 1")
            .File("deep/../../escape2.pkg", "evil 2")
            .File("inner/../ok.pkg", "ok 1")
            .Gzip();

        var (analysis, detector) = await ReadAsync(blob);

        Assert.Equal(["dot/a.pkg", "abs/b.pkg", "x/y/c.pkg", "ok.pkg"], detector.Seen);
        Assert.DoesNotContain(analysis.Packages, p => p.Name == "evil");
        Assert.Equal(["../escape.pkg", "deep/../../escape2.pkg"], analysis.Problems.Select(p => p.Path));
        Assert.All(analysis.Problems, p => Assert.Contains("climbs above the layer root", p.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Records_whiteouts_and_opaque_directories_without_handing_them_to_detectors()
    {
        var blob = new TestLayer()
            .Whiteout("usr/lib/python3/dist-packages/requests")
            .Whiteout("top.pkg")
            .Opaque("opt/app")
            .File("usr/.wh..wh.plnk", "")
            .File("opt/app/new.pkg", "n 1")
            .Gzip();

        var (analysis, detector) = await ReadAsync(blob);

        Assert.Equal(["usr/lib/python3/dist-packages/requests", "top.pkg"], analysis.Whiteouts);
        Assert.Equal(["opt/app"], analysis.OpaqueDirectories);
        Assert.Equal(["opt/app/new.pkg"], detector.Seen);
    }

    [Fact]
    public async Task Never_follows_symlinks_so_loops_and_absolute_targets_are_harmless()
    {
        var blob = new TestLayer()
            .Symlink("loop/a", "b")
            .Symlink("loop/b", "a")
            .Symlink("loop/self", "self")
            .Symlink("etc/os-release", "../usr/lib/os-release")
            .Symlink("abs.pkg", "/etc/shadow")
            .Symlink("up.pkg", "../../../../etc/shadow")
            .File("app/real.pkg", "real 1")
            .Gzip();

        var (analysis, detector) = await ReadAsync(blob);

        Assert.Equal(["app/real.pkg"], detector.Seen);
        Assert.Equal(7, analysis.Stats.Entries);
        Assert.Empty(analysis.Problems);
    }

    [Fact]
    public async Task A_hard_link_whose_target_climbs_out_of_the_root_is_a_problem()
    {
        var blob = new TestLayer()
            .File("app/real.pkg", "real 1")
            .HardLink("app/link.pkg", "../../etc/shadow")
            .HardLink("app/fine.pkg", "/app/real.pkg")
            .Gzip();

        var (analysis, _) = await ReadAsync(blob);

        var problem = Assert.Single(analysis.Problems);
        Assert.Equal("app/link.pkg", problem.Path);
        Assert.Contains("../../etc/shadow", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_decompression_bomb_fails_with_LayerTooLargeException()
    {
        // 64 MiB of zeros deflate to about 64 KiB.
        var blob = new TestLayer().File("bomb.bin", new byte[64 << 20]).Gzip();
        Assert.True(blob.Length < 1 << 20);

        var error = await Assert.ThrowsAsync<LayerTooLargeException>(() =>
            ReadAsync(blob, new LayerAnalysisOptions { MaxUncompressedBytes = 16 << 20 }));

        Assert.Equal("sha256:test", error.LayerDigest);
        Assert.Contains("MaxUncompressedBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bomb_inside_a_wanted_file_fails_the_layer_even_if_the_detector_swallows_errors()
    {
        var detector = new SwallowingDetector();
        var reader = new LayerReader([detector], new LayerAnalysisOptions { MaxUncompressedBytes = 8 << 20 });
        var blob = new TestLayer().File("big.swallow", new byte[32 << 20]).Gzip();

        await Assert.ThrowsAsync<LayerTooLargeException>(() => reader.ReadAsync(TestLayer.Source(blob), default));
        Assert.Equal(1, detector.Calls);
    }

    [Fact]
    public async Task Too_many_entries_fail_with_LayerTooLargeException()
    {
        var layer = new TestLayer();
        for (var i = 0; i < 20; i++) layer.File($"f{i}", "x");

        var error = await Assert.ThrowsAsync<LayerTooLargeException>(() =>
            ReadAsync(layer.Gzip(), new LayerAnalysisOptions { MaxEntries = 10 }));
        Assert.Contains("MaxEntries", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wanted_file_over_the_per_file_limit_is_skipped_with_a_problem_not_read()
    {
        var blob = new TestLayer()
            .File("huge.pkg", new byte[3 << 20])
            .File("small.pkg", "s 1")
            .Gzip();

        var (analysis, detector) = await ReadAsync(blob, new LayerAnalysisOptions { MaxFileBytes = 1 << 20 });

        Assert.Equal(["small.pkg"], detector.Seen);
        var problem = Assert.Single(analysis.Problems);
        Assert.Equal("huge.pkg", problem.Path);
        Assert.Contains("MaxFileBytes", problem.Reason, StringComparison.Ordinal);
        Assert.Contains("huge.pkg", analysis.ScannedFiles);
    }

    [Fact]
    public async Task A_truncated_gzip_fails_with_LayerFormatException()
    {
        var blob = Sample().File("filler.bin", RandomBytes(200_000)).Gzip();

        var error = await Assert.ThrowsAsync<LayerFormatException>(() => ReadAsync(blob[..(blob.Length / 2)]));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tar_cut_at_an_entry_boundary_fails_for_want_of_its_end_marker()
    {
        var tar = new TestLayer().File("a.pkg", "a 1").Tar();
        // TarWriter ends the archive with the two zero blocks of the end-of-archive marker and nothing else.
        Assert.All(tar[^1024..], b => Assert.Equal(0, b));
        var cut = tar[..^1024];

        var error = await Assert.ThrowsAsync<LayerFormatException>(() => ReadAsync(TestLayer.Compress(cut)));
        Assert.Contains("end-of-archive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_gzip_fails_with_LayerFormatException()
    {
        var text = string.Join('\n', Enumerable.Range(0, 50_000).Select(i => $"package-{i} {i}.0.{i % 7}"));
        var blob = new TestLayer().File("many.pkg", text).Gzip();
        for (var i = 0; i < 64; i++) blob[blob.Length / 2 + i] ^= 0x5a;

        var error = await Assert.ThrowsAsync<LayerFormatException>(() => ReadAsync(blob));
        Assert.Contains("gzip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_zstd_fails_with_LayerFormatException()
    {
        var text = string.Join('\n', Enumerable.Range(0, 50_000).Select(i => $"package-{i} {i}.0.{i % 7}"));
        var blob = new TestLayer().File("many.pkg", text).Zstd();
        for (var i = 0; i < 64; i++) blob[blob.Length / 2 + i] ^= 0x5a;

        await Assert.ThrowsAsync<LayerFormatException>(() => ReadAsync(blob));
    }

    [Fact]
    public async Task A_blob_that_is_not_a_tar_fails_with_LayerFormatException()
    {
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => ReadAsync(RandomBytes(10_000)));
        Assert.Contains("tar", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_blob_fails_with_LayerFormatException()
    {
        await Assert.ThrowsAsync<LayerFormatException>(() => ReadAsync([]));
    }

    [Fact]
    public async Task Unsupported_compressions_are_named()
    {
        var error = await Assert.ThrowsAsync<LayerFormatException>(() => ReadAsync([(byte)'B', (byte)'Z', (byte)'h', (byte)'9', 0, 0, 0]));
        Assert.Contains("bzip2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hung_stream_ends_with_cancellation()
    {
        var blob = Sample().Gzip();
        var source = new LayerSource("sha256:hang", "application/vnd.oci.image.layer.v1.tar+gzip", blob.Length,
            _ => ValueTask.FromResult<Stream>(new HangingStream(blob[..20])));
        var reader = new LayerReader([new LinePackageDetector()]);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => reader.ReadAsync(source, cts.Token));
    }

    [Fact]
    public async Task A_failing_detector_is_a_problem_of_its_file_and_the_others_carry_on()
    {
        var lines = new LinePackageDetector();
        var reader = new LayerReader([lines, new ThrowingDetector()]);
        var blob = new TestLayer().File("a.pkg", "a 1").File("b.pkg", "b 2").Gzip();

        var analysis = await reader.ReadAsync(TestLayer.Source(blob), default);

        Assert.Equal(["a", "b"], analysis.Packages.Select(p => p.Name));
        Assert.Equal(["a.pkg", "b.pkg"], analysis.Problems.Select(p => p.Path));
        Assert.All(analysis.Problems, p => Assert.Contains("detector boom failed", p.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_analysis_round_trips_through_json()
    {
        var blob = new TestLayer().File("a.pkg", "a 1").Whiteout("gone").Opaque("hidden").File("bad.pkg", "oops").Gzip();
        var (analysis, _) = await ReadAsync(blob);

        var json = AnalysisJson.Serialize(analysis);
        var back = AnalysisJson.DeserializeLayer(json)!;

        Assert.Equal(json, AnalysisJson.Serialize(back));
        Assert.Equal(analysis.Packages.Select(p => (p.Purl, p.Path, p.Detector)), back.Packages.Select(p => (p.Purl, p.Path, p.Detector)));
        Assert.Equal(analysis.Whiteouts, back.Whiteouts);
        Assert.Equal(analysis.Problems, back.Problems);
        Assert.Equal(analysis.Stats, back.Stats);
        Assert.Contains("\"compression\":\"Gzip\"", json, StringComparison.Ordinal);
    }

    private static byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        new Random(42).NextBytes(bytes);
        return bytes;
    }

    private sealed class SwallowingDetector : IPackageDetector
    {
        public int Calls { get; private set; }
        public string Name => "swallow";
        public int Version => 1;
        public bool Wants(in LayerFile file) => file.Path.EndsWith(".swallow", StringComparison.Ordinal);

        public async ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken)
        {
            Calls++;
            try
            {
                await content.CopyToAsync(Stream.Null, cancellationToken);
            }
            catch (Exception e)
            {
                sink.Problem(file.Path, e.Message);
            }
        }
    }

    private sealed class ThrowingDetector : IPackageDetector
    {
        public string Name => "boom";
        public int Version => 1;
        public bool Wants(in LayerFile file) => true;

        public ValueTask DetectAsync(LayerFile file, Stream content, IDetectionSink sink, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("detector bug");
    }

    /// <summary>Gives a few bytes, then never answers (a registry that hangs).</summary>
    private sealed class HangingStream(byte[] prefix) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsMemory(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("sync read of a network stream");
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

extern alias feedsync;

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using feedsync::SupplyChainMesh.FeedSync.Matching;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.Persistence.Feeds;

namespace SupplyChainMesh.Benchmarks.Benchmarks;

/// <summary>PostgreSQL of the benchmarks: <c>SCM_POSTGRES</c>, a fresh database per setup.</summary>
internal static class BenchmarkDatabase
{
    public static readonly string[] Sources = ["alpine-secdb", "debian", "epss", "ghsa", "go", "kev", "nvd", "pypi"];

    public static async Task<NpgsqlDataSource> FreshAsync(string prefix)
    {
        var admin = Environment.GetEnvironmentVariable("SCM_POSTGRES")
            ?? throw new InvalidOperationException("SCM_POSTGRES is not set (Host=127.0.0.1;Port=5433;Username=postgres;Password=postgres;Database=postgres).");
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var source = FeedStore.CreateDataSource(new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
        await using (var cmd = source.CreateCommand(FeedStoreSchema.Create("feeds") + ImageReportSchema.Create("feeds")))
            await cmd.ExecuteNonQueryAsync();
        return source;
    }

    public static async Task<int> ImportAllAsync(FeedFileImporter importer, bool force)
    {
        var records = 0;
        foreach (var source in Sources)
            records += (await importer.ImportFolderAsync(source, BenchmarkMaterial.Feeds, source, force)).Sum(r => r.Records);
        return records;
    }
}

/// <summary>The whole corpus into PostgreSQL (a fresh database each time; target under 60 s), and the re-import of the
/// same data comparing every record (target under 10 s; the watermark shortcut is not used).</summary>
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, warmupCount: 0, iterationCount: 2)]
public class FeedImportBenchmarks
{
    private NpgsqlDataSource _full = null!;
    private NpgsqlDataSource _again = null!;

    [IterationSetup(Target = nameof(FullImport))]
    public void FreshDatabase() => _full = BenchmarkDatabase.FreshAsync("bench_import").GetAwaiter().GetResult();

    [GlobalSetup(Target = nameof(Reimport))]
    public void Imported()
    {
        _again = BenchmarkDatabase.FreshAsync("bench_reimport").GetAwaiter().GetResult();
        BenchmarkDatabase.ImportAllAsync(new FeedFileImporter(new FeedStore(_again)), force: false).GetAwaiter().GetResult();
    }

    [Benchmark]
    public int FullImport() => BenchmarkDatabase.ImportAllAsync(new FeedFileImporter(new FeedStore(_full)), force: false).GetAwaiter().GetResult();

    [Benchmark]
    public int Reimport() => BenchmarkDatabase.ImportAllAsync(new FeedFileImporter(new FeedStore(_again)), force: true).GetAwaiter().GetResult();
}

/// <summary>
/// Continuous monitoring at scale: <c>SCM_BENCH_IMAGES</c> (default 10,000) stored images generated from the real
/// inventories of the test images (app-mixed and bookworm-minbase, analysed by the engine, cloned server-side), then
/// the re-match after a change of 100 records: only the stored packages with those records' keys are matched again and
/// their findings replaced. Target: under 10 s.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3)]
public class RematchBenchmarks
{
    private ImageRematcher _rematcher = null!;
    private string[] _keys = null!;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var images = int.TryParse(Environment.GetEnvironmentVariable("SCM_BENCH_IMAGES"), out var n) ? n : 10_000;
        // SCM_BENCH_REMATCH_DB names a database a previous run set up (the setup takes minutes): reuse it.
        if (Environment.GetEnvironmentVariable("SCM_BENCH_REMATCH_DB") is { Length: > 0 } existing)
        {
            var reused = FeedStore.CreateDataSource(new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("SCM_POSTGRES")) { Database = existing }.ConnectionString);
            var reusedHolder = new MatcherHolder(new FeedStore(reused), NullLogger<MatcherHolder>.Instance);
            await reusedHolder.ReloadAsync(CancellationToken.None);
            _keys = await ChangedKeysAsync(reused);
            _rematcher = new ImageRematcher(new ImageReportStore(reused), reusedHolder, null!, NullLogger<ImageRematcher>.Instance);
            Console.WriteLine($"// reused {existing}; the 100 changed records name {_keys.Length} package keys");
            return;
        }
        var source = await BenchmarkDatabase.FreshAsync("bench_rematch");
        var feeds = new FeedStore(source);
        var watch = Stopwatch.StartNew();
        await BenchmarkDatabase.ImportAllAsync(new FeedFileImporter(feeds), force: false);
        var holder = new MatcherHolder(feeds, NullLogger<MatcherHolder>.Instance);
        await holder.ReloadAsync(CancellationToken.None);
        var matcher = await holder.WhenReadyAsync(CancellationToken.None);
        Console.WriteLine($"// corpus imported and indexed in {watch.Elapsed.TotalSeconds:F1} s");

        var store = new ImageReportStore(source);
        var analyzer = new ImageAnalyzer();
        string[] tags = ["app-mixed", "bookworm-minbase"];
        foreach (var tag in tags)
        {
            var layers = BenchmarkMaterial.OciLayers(tag);
            var analyses = new List<LayerAnalysis>();
            foreach (var layer in layers) analyses.Add(await analyzer.AnalyzeLayerAsync(layer, CancellationToken.None));
            var inventory = ImageSquasher.Squash(analyses);
            var findings = inventory.Packages.SelectMany((p, i) => matcher.Match(p.Package).Select(f => new OrdinalFinding(i, StoredFinding.From(f, p.LayerIndex, p.LayerDigest)))).ToList();
            var image = new ImageIdentity("bench.local", "bench/" + tag, "latest", "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tag))));
            var scan = new ImageScanned { ScanId = image.ScanId, Image = image, Layers = [.. layers.Select(l => l.Digest)], AnalyzerVersion = analyzer.AnalyzerVersion, Succeeded = true };
            await store.SaveScanAsync(scan, inventory, findings, Guid.NewGuid(), CancellationToken.None);
            Console.WriteLine($"// {tag}: {inventory.Packages.Count} packages, {findings.Count} findings");
        }
        // Clone the two real images server-side into `images` stored images (ids derived from the original and the copy number).
        await using (var cmd = source.CreateCommand($"""
            INSERT INTO feeds.images SELECT md5(i.image_id::text || g)::uuid, registry, repository || '-' || g, digest, tags, analyzer_version, succeeded,
                failure_reason, distribution, md5(i.latest_report_id::text || g)::uuid, updated_at FROM feeds.images i, generate_series(1, {(images / 2) - 1}) g;
            INSERT INTO feeds.image_packages SELECT md5(p.image_id::text || g)::uuid, ordinal, package_key, layer_index, layer_digest, package
                FROM feeds.image_packages p, generate_series(1, {(images / 2) - 1}) g;
            INSERT INTO feeds.image_findings SELECT md5(f.image_id::text || g)::uuid, ordinal, vulnerability_id, severity, kev, fixable, finding
                FROM feeds.image_findings f, generate_series(1, {(images / 2) - 1}) g;
            INSERT INTO feeds.reports SELECT md5(r.report_id::text || g)::uuid, md5(r.image_id::text || g)::uuid, trigger, created_at, critical, high, medium,
                low, negligible, unknown, kev, fixable, vulnerability_ids, new_ids FROM feeds.reports r, generate_series(1, {(images / 2) - 1}) g;
            ANALYZE feeds.image_packages; ANALYZE feeds.image_findings; ANALYZE feeds.images; ANALYZE feeds.reports;
            """))
        {
            cmd.CommandTimeout = 3600;
            await cmd.ExecuteNonQueryAsync();
        }
        _keys = await ChangedKeysAsync(source);
        _rematcher = new ImageRematcher(store, holder, null!, NullLogger<ImageRematcher>.Instance);
        Console.WriteLine($"// {images} stored images; the 100 changed records name {_keys.Length} package keys");
    }

    // A change of 100 records: the first 100 (by id) of the records that concern packages these images hold.
    private static async Task<string[]> ChangedKeysAsync(NpgsqlDataSource source)
    {
        await using var cmd = source.CreateCommand("""
            SELECT array_agg(DISTINCT k) FROM (SELECT a.package_keys FROM feeds.advisories a
                WHERE a.package_keys && (SELECT array_agg(DISTINCT package_key) FROM feeds.image_packages WHERE package_key IS NOT NULL)
                ORDER BY a.id LIMIT 100) c, unnest(c.package_keys) k
            """);
        cmd.CommandTimeout = 600;
        return (string[])(await cmd.ExecuteScalarAsync())!;
    }

    [Benchmark]
    public int Rematch100ChangedRecords() => _rematcher.RematchAsync(_keys, CancellationToken.None).GetAwaiter().GetResult().Count;
}

extern alias feedsync;

using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using feedsync::SupplyChainMesh.FeedSync.Matching;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Versions;
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
[InProcessFewIterations(warmupCount: 0, iterationCount: 2)]
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

/// <summary>One in-process job of few iterations (the setup takes minutes and a second process would repeat it).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class InProcessFewIterationsAttribute(int warmupCount = 1, int iterationCount = 4) : JobConfigBaseAttribute(Job.Default
    .WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(warmupCount).WithIterationCount(iterationCount)
    .WithToolchain(InProcessEmitToolchain.Instance));

/// <summary>
/// Continuous monitoring at scale: <c>SCM_BENCH_IMAGES</c> (default 10,000) stored images generated from the real
/// inventories of the test images (app-mixed and bookworm-minbase, analysed by the engine, cloned server-side), then
/// re-matched after a change of 100 records. The change is real and alternates: the index without the first 100 records
/// (by id) that concern packages these images hold — as if they were withdrawn — then the whole index again — as if they
/// were published. Each iteration therefore changes the findings of every image holding those packages. Target: under 10 s.
/// <c>SCM_BENCH_REMATCH_DB</c> reuses the database a previous run set up (its name is printed).
/// </summary>
[InProcessFewIterations]
public class RematchBenchmarks
{
    private ImageRematcher _rematcher = null!;
    private MatcherHolder _holder = null!;
    private string[] _keys = null!;
    private VulnerabilityIndex _full = null!;
    private VulnerabilityIndex _without = null!;
    private bool _useFull = true;

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    private async Task SetupAsync()
    {
        var images = int.TryParse(Environment.GetEnvironmentVariable("SCM_BENCH_IMAGES"), out var n) ? n : 10_000;
        NpgsqlDataSource source;
        if (Environment.GetEnvironmentVariable("SCM_BENCH_REMATCH_DB") is { Length: > 0 } existing)
        {
            source = FeedStore.CreateDataSource(new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("SCM_POSTGRES")) { Database = existing }.ConnectionString);
            Console.WriteLine($"// reusing {existing}");
            // A database set up before the distinct-packages table is moved to it (what the service's migration does).
            var upgrade = Stopwatch.StartNew();
            await using var cmd = source.CreateCommand(ImageReportSchema.UpgradeToDistinctPackages("feeds"));
            cmd.CommandTimeout = 3600;
            await cmd.ExecuteNonQueryAsync();
            Console.WriteLine($"// schema upgraded in {upgrade.Elapsed.TotalSeconds:F1} s");
        }
        else
        {
            source = await BenchmarkDatabase.FreshAsync("bench_rematch");
            Console.WriteLine($"// database {new NpgsqlConnectionStringBuilder(source.ConnectionString).Database}");
            await StoreImagesAsync(source, images);
        }
        var feeds = new FeedStore(source);
        var (ids, keys) = await ChangedRecordsAsync(source);
        _keys = keys;
        _full = await feeds.LoadIndexAsync(VersionSchemes.ForOsvEcosystem, CancellationToken.None);
        _without = await feeds.LoadIndexAsync(VersionSchemes.ForOsvEcosystem, ids.ToHashSet(StringComparer.Ordinal), CancellationToken.None);
        _holder = new MatcherHolder(feeds, NullLogger<MatcherHolder>.Instance);
        _holder.Use(_full);
        _rematcher = new ImageRematcher(new ImageReportStore(source), _holder, null!, NullLogger<ImageRematcher>.Instance);
        // A previous run may have stopped on the reduced index: bring the stored findings back to the whole index.
        Console.WriteLine($"// resync: {(await _rematcher.RematchAsync(_keys, CancellationToken.None)).Statistics}");
        Console.WriteLine($"// the 100 changed records ({ids[0]} … {ids[^1]}) name {_keys.Length} package keys");
    }

    private static async Task StoreImagesAsync(NpgsqlDataSource source, int images)
    {
        var feeds = new FeedStore(source);
        var watch = Stopwatch.StartNew();
        await BenchmarkDatabase.ImportAllAsync(new FeedFileImporter(feeds), force: false);
        var matcher = new Matcher(await feeds.LoadIndexAsync(VersionSchemes.ForOsvEcosystem, CancellationToken.None));
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
        await using var cmd = source.CreateCommand($"""
            INSERT INTO feeds.images SELECT md5(i.image_id::text || g)::uuid, registry, repository || '-' || g, digest, tags, analyzer_version, succeeded,
                failure_reason, distribution, md5(i.latest_report_id::text || g)::uuid, updated_at FROM feeds.images i, generate_series(1, {(images / 2) - 1}) g;
            INSERT INTO feeds.image_packages (image_id, ordinal, package_id, layer_index, layer_digest)
                SELECT md5(p.image_id::text || g)::uuid, ordinal, package_id, layer_index, layer_digest
                FROM feeds.image_packages p, generate_series(1, {(images / 2) - 1}) g;
            INSERT INTO feeds.image_findings SELECT md5(f.image_id::text || g)::uuid, ordinal, vulnerability_id, severity, kev, fixable, finding
                FROM feeds.image_findings f, generate_series(1, {(images / 2) - 1}) g;
            INSERT INTO feeds.reports SELECT md5(r.report_id::text || g)::uuid, md5(r.image_id::text || g)::uuid, trigger, created_at, critical, high, medium,
                low, negligible, unknown, kev, fixable, vulnerability_ids, new_ids FROM feeds.reports r, generate_series(1, {(images / 2) - 1}) g;
            ANALYZE feeds.image_packages; ANALYZE feeds.image_findings; ANALYZE feeds.images; ANALYZE feeds.reports;
            """);
        cmd.CommandTimeout = 3600;
        await cmd.ExecuteNonQueryAsync();
        Console.WriteLine($"// {images} stored images in {watch.Elapsed.TotalSeconds:F1} s");
    }

    // A change of 100 records: the first 100 (by id) of the records that concern packages these images hold.
    private static async Task<(string[] Ids, string[] Keys)> ChangedRecordsAsync(NpgsqlDataSource source)
    {
        await using var cmd = source.CreateCommand("""
            WITH c AS (SELECT a.id, a.package_keys FROM feeds.advisories a
                WHERE NOT a.withdrawn AND a.package_keys && (SELECT array_agg(DISTINCT k.package_key) FROM feeds.packages k
                    WHERE k.package_key IS NOT NULL AND EXISTS (SELECT 1 FROM feeds.image_packages p WHERE p.package_id = k.package_id))
                ORDER BY a.id LIMIT 100)
            SELECT (SELECT array_agg(id ORDER BY id) FROM c), (SELECT array_agg(DISTINCT k) FROM c, unnest(c.package_keys) k)
            """);
        cmd.CommandTimeout = 600;
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetFieldValue<string[]>(0), reader.GetFieldValue<string[]>(1));
    }

    [IterationSetup]
    public void SwapIndex()
    {
        _useFull = !_useFull;
        _holder.Use(_useFull ? _full : _without);
    }

    [Benchmark]
    public int Rematch100ChangedRecords()
    {
        var outcome = _rematcher.RematchAsync(_keys, CancellationToken.None).GetAwaiter().GetResult();
        Console.WriteLine($"// {(_useFull ? "published" : "withdrawn")}: {outcome.Changed.Count} images with new reports; {outcome.Statistics}");
        return outcome.Changed.Count;
    }
}

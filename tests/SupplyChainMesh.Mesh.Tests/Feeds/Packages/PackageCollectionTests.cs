using Microsoft.EntityFrameworkCore;
using Npgsql;
using SupplyChainMesh.Analysis.Debian;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.FeedSync.Infrastructure;
using SupplyChainMesh.FeedSync.Matching;
using SupplyChainMesh.Persistence.Feeds;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Mesh.Tests.Feeds.Packages;

/// <summary>
/// The distinct-packages table is collected: a package no stored inventory holds any more goes, one that an inventory
/// holds (committed, or being stored by a concurrent transaction) stays. On real PostgreSQL with FeedSync's migrations,
/// and the installed packages of the real Ubuntu 18.04 dpkg status fixture.
/// </summary>
public sealed class PackageCollectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Bounded = TimeSpan.FromSeconds(30);
    private NpgsqlDataSource _source = null!;
    private ImageReportStore _store = null!;
    private IReadOnlyList<Package> _packages = null!;

    public async Task InitializeAsync()
    {
        var connectionString = await BackingServices.FreshDatabaseAsync("pkgcollect");
        var options = new DbContextOptionsBuilder<FeedDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsHistoryTable("__ef_migrations_history", FeedDbContext.Schema)).Options;
        await using (var db = new FeedDbContext(options)) await db.Database.MigrateAsync();
        _source = FeedStore.CreateDataSource(connectionString);
        _store = new ImageReportStore(_source);
        var status = await File.ReadAllBytesAsync(Path.Combine(RepositoryLayout.Fixtures, "dpkg", "ubuntu-18.04", "dpkg"));
        _packages = [.. DpkgStatusParser.ParseInstalled(status).Take(60).Select(e => new Package
        {
            Type = PurlType.Deb,
            Namespace = "ubuntu",
            Name = e.Name,
            Version = e.Version,
            SourceName = e.SourceName,
            SourceVersion = e.SourceVersion,
            Arch = e.Architecture,
            Path = "var/lib/dpkg/status",
            Detector = "dpkg",
        })];
        Assert.Equal(60, _packages.Count);
    }

    public async Task DisposeAsync() => await _source.DisposeAsync();

    [Fact]
    public async Task Packages_only_a_replaced_inventory_held_are_collected_and_the_others_stay()
    {
        using var cts = new CancellationTokenSource(Bounded);
        var ct = cts.Token;
        await SaveAsync("a", 0, 30, ct);
        await SaveAsync("b", 20, 51, ct);
        Assert.Equal(51, await CountAsync("packages", ct));
        Assert.Equal(0, await _store.CollectUnreferencedPackagesAsync(100, ct));

        // A is scanned again with other packages: 0..19 were only A's.
        await SaveAsync("a", 40, 60, ct);
        Assert.Equal(20, await _store.CollectUnreferencedPackagesAsync(100, ct));
        Assert.Equal(40, await CountAsync("packages", ct));
        Assert.Equal(0, await _store.CollectUnreferencedPackagesAsync(100, ct));
        Assert.Equal(Names(40, 60), (await _store.PackagesAsync(ImageId("a"), ct)).Select(p => p.Package.Name));
        Assert.Equal(Names(20, 51), (await _store.PackagesAsync(ImageId("b"), ct)).Select(p => p.Package.Name));

        // A package collected earlier comes back when an inventory holds it again.
        await SaveAsync("b", 0, 25, ct);
        Assert.Equal(Names(0, 25), (await _store.PackagesAsync(ImageId("b"), ct)).Select(p => p.Package.Name));
        // B's 25..50 are free now, except 40..50, which A holds.
        Assert.Equal(15, await _store.CollectUnreferencedPackagesAsync(100, ct));
        Assert.Equal(45, await CountAsync("packages", ct));
    }

    [Fact]
    public async Task A_package_an_uncommitted_inventory_refers_to_is_passed_over_without_waiting()
    {
        using var cts = new CancellationTokenSource(Bounded);
        var ct = cts.Token;
        await SaveAsync("a", 0, 10, ct);
        await SaveAsync("a", 10, 20, ct);
        var claimed = await PackageIdAsync(_packages[3], ct);

        // Another transaction is storing an inventory that refers to one of the now unreferenced packages.
        await using var writer = await _source.OpenConnectionAsync(ct);
        await using var tx = await writer.BeginTransactionAsync(ct);
        var other = Guid.NewGuid();
        await using (var insert = new NpgsqlCommand(
            $"INSERT INTO {FeedDbContext.Schema}.image_packages (image_id, ordinal, package_id, layer_index, layer_digest) VALUES ($1, 0, $2, 0, 'sha256:00')", writer, tx))
        {
            insert.Parameters.AddWithValue(other);
            insert.Parameters.AddWithValue(claimed);
            await insert.ExecuteNonQueryAsync(ct);
        }

        Assert.Equal(9, await _store.CollectUnreferencedPackagesAsync(100, ct));
        await tx.CommitAsync(ct);
        Assert.Equal(0, await _store.CollectUnreferencedPackagesAsync(100, ct));
        var kept = await _store.PackagesAsync(other, ct);
        Assert.Equal(_packages[3].Key, Assert.Single(kept).Package.Key);
    }

    private async Task SaveAsync(string name, int from, int to, CancellationToken ct)
    {
        var image = Image(name);
        var scan = new ImageScanned { ScanId = image.ScanId, Image = image, Layers = ["sha256:" + new string('1', 64)], AnalyzerVersion = "test", Succeeded = true };
        var inventory = new ImageInventory { Packages = [.. _packages.Skip(from).Take(to - from).Select(p => new ImagePackage(p, 0, scan.Layers[0]))] };
        await _store.SaveScanAsync(scan, inventory, [], Guid.NewGuid(), ct);
    }

    private static ImageIdentity Image(string name) =>
        new("registry.test", "collect/" + name, "latest", "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name))));

    private static Guid ImageId(string name) => Image(name).ScanId;

    private IEnumerable<string> Names(int from, int to) => _packages.Skip(from).Take(to - from).Select(p => p.Name);

    private async Task<long> CountAsync(string table, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand($"SELECT count(*) FROM {FeedDbContext.Schema}.{table}");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private async Task<long> PackageIdAsync(Package package, CancellationToken ct)
    {
        await using var cmd = _source.CreateCommand($"SELECT package_id FROM {FeedDbContext.Schema}.packages WHERE package->>'name' = $1");
        cmd.Parameters.AddWithValue(package.Name);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }
}

using Npgsql;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Analysis.Versions;
using SupplyChainMesh.Persistence.Feeds;
using SupplyChainMesh.Testing;

namespace SupplyChainMesh.Persistence.Tests.Feeds;

/// <summary>
/// The feed store on a real PostgreSQL with real GHSA records (five npm advisories copied from the corpus: lodash's
/// GHSA-35jh-r3h4-6jhm and GHSA-29mw-wpgm-hmr9, the withdrawn GHSA-8p5q-j9m2-g8wr, minimist's GHSA-xvch-5gv4-984h and
/// node-fetch's GHSA-w7rc-rwvf-8q5r). Each test works on its own mirror copy and its own database.
/// </summary>
public sealed class FeedStoreTests : IDisposable
{
    private const string Feed = "ghsa/ghsa-npm.osv";
    private readonly string _mirror = Path.Combine(Path.GetTempPath(), "scm-feedstore-" + Guid.NewGuid().ToString("N"));

    public FeedStoreTests()
    {
        Directory.CreateDirectory(Path.Combine(_mirror, "ghsa"));
        File.Copy(Path.Combine(AppContext.BaseDirectory, "TestData", "feeds", "ghsa", "ghsa-npm.osv.jsonl"), MirrorFile);
    }

    private string MirrorFile => Path.Combine(_mirror, "ghsa", "ghsa-npm.osv.jsonl");

    public void Dispose() => Directory.Delete(_mirror, recursive: true);

    private static async Task<(FeedStore Store, NpgsqlDataSource Source)> FreshStoreAsync()
    {
        var source = FeedStore.CreateDataSource(await BackingServices.FreshDatabaseAsync("feedstore"));
        var store = new FeedStore(source);
        await store.EnsureSchemaAsync();
        return (store, source);
    }

    private static Package Npm(string name, string version) =>
        new() { Type = PurlType.Npm, Name = name, Version = version, Path = "app/node_modules/" + name + "/package.json", Detector = "test" };

    private static async Task<HashSet<string>> MatchIdsAsync(FeedStore store, Package package)
    {
        var index = await store.LoadIndexAsync(VersionSchemes.ForOsvEcosystem);
        return new Matcher(index).Match(package).SelectMany(f => f.AllIds).ToHashSet(StringComparer.Ordinal);
    }

    private void RewriteRecord(string id, Func<string, string> change)
    {
        var lines = File.ReadAllLines(MirrorFile).Select(l => l.Contains($"\"id\":\"{id}\"", StringComparison.Ordinal) ? change(l) : l).ToArray();
        File.WriteAllLines(MirrorFile, lines);
    }

    private static async Task<string> AdvisoryRowVersionsAsync(NpgsqlDataSource source)
    {
        // xmin (the writing transaction) changes whenever a row is rewritten: "was anything written" in one string.
        await using var cmd = source.CreateCommand("SELECT string_agg(id || ':' || xmin::text, ',' ORDER BY id) FROM feeds.advisories");
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Imported_records_match_and_the_withdrawn_one_does_not()
    {
        var (store, source) = await FreshStoreAsync();
        await using var _ = source;
        var importer = new FeedFileImporter(store);

        var result = Assert.Single(await importer.ImportFolderAsync("ghsa", _mirror, "ghsa"));

        Assert.Equal(Feed, result.Feed);
        Assert.Equal((5, 5, 0, 0), (result.Records, result.Added, result.Changed, result.Malformed));
        Assert.Contains("npm|lodash", result.AffectedKeys);
        var ids = await MatchIdsAsync(store, Npm("lodash", "4.17.20"));
        Assert.Contains("GHSA-35jh-r3h4-6jhm", ids);
        Assert.Contains("CVE-2021-23337", ids);
        Assert.Contains("GHSA-29mw-wpgm-hmr9", ids);
        Assert.DoesNotContain("GHSA-8p5q-j9m2-g8wr", ids);
        Assert.Empty(await MatchIdsAsync(store, Npm("lodash", "4.17.21")));
        var stored = await store.FindAsync("CVE-2021-44906");
        Assert.Equal("GHSA-xvch-5gv4-984h", Assert.Single(stored).Id);
    }

    [Fact]
    public async Task A_reimport_of_unchanged_data_writes_nothing()
    {
        var (store, source) = await FreshStoreAsync();
        await using var _ = source;
        var importer = new FeedFileImporter(store);
        await importer.ImportFolderAsync("ghsa", _mirror, "ghsa");
        var before = await AdvisoryRowVersionsAsync(source);

        var same = Assert.Single(await importer.ImportFolderAsync("ghsa", _mirror, "ghsa"));
        var compared = Assert.Single(await importer.ImportFolderAsync("ghsa", _mirror, "ghsa", force: true));

        Assert.True(same.UpToDate);
        Assert.False(compared.UpToDate);
        Assert.Equal((5, 0, 0, 0, 5), (compared.Records, compared.Added, compared.Changed, compared.Withdrawn, compared.Unchanged));
        Assert.Empty(compared.AffectedKeys);
        Assert.False(compared.ChangedSomething);
        Assert.Equal(before, await AdvisoryRowVersionsAsync(source));
    }

    [Fact]
    public async Task Each_record_keeps_the_hash_of_its_raw_line_and_a_reformatted_line_only_moves_that_hash()
    {
        var (store, source) = await FreshStoreAsync();
        await using var _ = source;
        var importer = new FeedFileImporter(store);
        await importer.ImportFolderAsync("ghsa", _mirror, "ghsa");
        var lines = File.ReadAllLines(MirrorFile);
        Assert.Equal(lines.Select(LineHash).Order(StringComparer.Ordinal), (await RawHashesAsync(source)).Values.Order(StringComparer.Ordinal));

        // The same record written differently (a space after the opening brace): its line is parsed again, the record is
        // equal, so only the raw hash moves and nothing is reported as changed.
        RewriteRecord("GHSA-xvch-5gv4-984h", l => "{ " + l[1..]);
        var result = Assert.Single(await importer.ImportFolderAsync("ghsa", _mirror, "ghsa", force: true));

        Assert.Equal((5, 0, 0, 5), (result.Records, result.Added, result.Changed, result.Unchanged));
        Assert.False(result.ChangedSomething);
        var rewritten = File.ReadAllLines(MirrorFile).Single(l => l.Contains("\"id\":\"GHSA-xvch-5gv4-984h\"", StringComparison.Ordinal));
        Assert.Equal(LineHash(rewritten), (await RawHashesAsync(source))["GHSA-xvch-5gv4-984h"]);
    }

    [Fact]
    public async Task An_epss_change_names_only_the_packages_of_the_records_of_the_cves_it_changed()
    {
        var (store, source) = await FreshStoreAsync();
        await using var _ = source;
        var importer = new FeedFileImporter(store);
        await importer.ImportFolderAsync("ghsa", _mirror, "ghsa");
        // The real EPSS subset without minimist's CVE first, then the whole file: one CVE gains a score.
        var epss = Path.Combine(_mirror, "epss-subset.csv");
        var lines = File.ReadAllLines(Path.Combine(RepositoryLayout.Feeds, "epss", "epss-subset.csv"));
        File.WriteAllLines(epss, lines.Where(l => !l.StartsWith("CVE-2021-44906,", StringComparison.Ordinal)));
        await importer.ImportFileAsync("epss", "epss/epss-subset", FeedFormat.Epss, epss);
        File.WriteAllLines(epss, lines);

        var result = await importer.ImportFileAsync("epss", "epss/epss-subset", FeedFormat.Epss, epss);

        Assert.True(result.DocumentChanged);
        Assert.Equal(["CVE-2021-44906"], result.ChangedIds);
        Assert.Equal(["npm|minimist"], result.AffectedKeys);
    }

    private static string LineHash(string line) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(line)));

    private static async Task<Dictionary<string, string>> RawHashesAsync(NpgsqlDataSource source)
    {
        await using var cmd = source.CreateCommand("SELECT id, encode(raw_hash, 'hex') FROM feeds.advisories WHERE raw_hash IS NOT NULL");
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result[reader.GetString(0)] = reader.GetString(1);
        return result;
    }

    [Fact]
    public async Task A_changed_record_replaces_the_old_one()
    {
        var (store, source) = await FreshStoreAsync();
        await using var _ = source;
        var importer = new FeedFileImporter(store);
        await importer.ImportFolderAsync("ghsa", _mirror, "ghsa");
        Assert.Contains("GHSA-xvch-5gv4-984h", await MatchIdsAsync(store, Npm("minimist", "1.2.5")));

        // Upstream corrects the range: the fix moves down to 1.2.5, so 1.2.5 is no longer affected.
        RewriteRecord("GHSA-xvch-5gv4-984h", l => l.Replace("\"fixed\":\"1.2.6\"", "\"fixed\":\"1.2.5\"", StringComparison.Ordinal));
        var result = Assert.Single(await importer.ImportFolderAsync("ghsa", _mirror, "ghsa"));

        Assert.Equal((0, 1, 4), (result.Added, result.Changed, result.Unchanged));
        Assert.Equal(["GHSA-xvch-5gv4-984h"], result.ChangedIds);
        Assert.Equal(["npm|minimist"], result.AffectedKeys);
        Assert.DoesNotContain("GHSA-xvch-5gv4-984h", await MatchIdsAsync(store, Npm("minimist", "1.2.5")));
        Assert.Contains("GHSA-xvch-5gv4-984h", await MatchIdsAsync(store, Npm("minimist", "1.2.4")));
        var stored = AdvisoryJson.Deserialize(Assert.Single(await store.FindAsync("GHSA-xvch-5gv4-984h")).RecordJson)!;
        Assert.Contains(stored.Affected.SelectMany(a => a.Ranges).SelectMany(r => r.Events), e => e.Kind == Analysis.Advisories.RangeEventKind.Fixed && e.Version == "1.2.5");
    }

    [Fact]
    public async Task A_record_withdrawn_by_githubs_summary_prefix_or_gone_from_the_feed_stops_matching()
    {
        var (store, source) = await FreshStoreAsync();
        await using var _ = source;
        var importer = new FeedFileImporter(store);
        await importer.ImportFolderAsync("ghsa", _mirror, "ghsa");
        Assert.Contains("GHSA-35jh-r3h4-6jhm", await MatchIdsAsync(store, Npm("lodash", "4.17.20")));
        Assert.Contains("GHSA-w7rc-rwvf-8q5r", await MatchIdsAsync(store, Npm("node-fetch", "2.6.0")));

        RewriteRecord("GHSA-35jh-r3h4-6jhm", l => l.Replace("\"summary\":\"Command Injection", "\"summary\":\"Withdrawn: Command Injection", StringComparison.Ordinal));
        File.WriteAllLines(MirrorFile, File.ReadAllLines(MirrorFile).Where(l => !l.Contains("GHSA-w7rc-rwvf-8q5r", StringComparison.Ordinal)));
        var result = Assert.Single(await importer.ImportFolderAsync("ghsa", _mirror, "ghsa"));

        Assert.Equal(2, result.Withdrawn);
        Assert.Contains("npm|lodash", result.AffectedKeys);
        Assert.Contains("npm|node-fetch", result.AffectedKeys);
        var lodash = await MatchIdsAsync(store, Npm("lodash", "4.17.20"));
        Assert.DoesNotContain("GHSA-35jh-r3h4-6jhm", lodash);
        Assert.Contains("GHSA-29mw-wpgm-hmr9", lodash);
        Assert.Empty(await MatchIdsAsync(store, Npm("node-fetch", "2.6.0")));
        Assert.True(Assert.Single(await store.FindAsync("GHSA-w7rc-rwvf-8q5r")).Withdrawn);
    }

    [Fact]
    public async Task Malformed_records_are_skipped_counted_and_stored_with_their_reason()
    {
        var (store, source) = await FreshStoreAsync();
        await using var _ = source;
        File.AppendAllLines(MirrorFile, ["{\"id\":\"GHSA-bad0-bad0-bad0\",\"affected\":[{\"package\":", "{\"summary\":\"no id at all\"}"]);

        var result = Assert.Single(await new FeedFileImporter(store).ImportFolderAsync("ghsa", _mirror, "ghsa"));

        Assert.Equal((5, 5, 2), (result.Records, result.Added, result.Malformed));
        var problems = await store.ProblemsAsync("ghsa");
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.RecordId == "GHSA-bad0-bad0-bad0" && p.Reason.Length > 0 && p.Feed == Feed);
        var summary = (await store.SummariesAsync())["ghsa"];
        Assert.Equal((5, 2), (summary.Records, summary.Malformed));
        Assert.Contains("GHSA-35jh-r3h4-6jhm", await MatchIdsAsync(store, Npm("lodash", "4.17.20")));
    }

    [Fact]
    public async Task A_file_with_no_readable_record_is_refused_and_changes_nothing()
    {
        var (store, source) = await FreshStoreAsync();
        await using var _ = source;
        var importer = new FeedFileImporter(store);
        await importer.ImportFolderAsync("ghsa", _mirror, "ghsa");
        var before = await AdvisoryRowVersionsAsync(source);
        var watermark = await store.WatermarkAsync(Feed);

        await File.WriteAllTextAsync(MirrorFile, "<html>502 Bad Gateway</html>\n");
        await Assert.ThrowsAsync<FeedImportException>(() => importer.ImportFolderAsync("ghsa", _mirror, "ghsa"));

        Assert.Equal(before, await AdvisoryRowVersionsAsync(source));
        Assert.Equal(watermark, await store.WatermarkAsync(Feed));
        Assert.Contains("GHSA-35jh-r3h4-6jhm", await MatchIdsAsync(store, Npm("lodash", "4.17.20")));
    }
}

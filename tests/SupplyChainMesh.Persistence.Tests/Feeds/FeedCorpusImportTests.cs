using System.Diagnostics;
using Npgsql;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Analysis.Versions;
using SupplyChainMesh.Persistence.Feeds;
using SupplyChainMesh.Testing;
using Xunit.Abstractions;

namespace SupplyChainMesh.Persistence.Tests.Feeds;

/// <summary>
/// The whole real corpus (<c>../shared/feeds</c>) into PostgreSQL, source by source as FeedSync does it, then again:
/// the re-import writes nothing. The index built from the store holds the corpus's known facts. Durations are printed
/// (the figures in docs/performance.md), not asserted.
/// </summary>
public sealed class FeedCorpusImportTests(ITestOutputHelper output)
{
    private static readonly string[] Sources = ["alpine-secdb", "debian", "epss", "ghsa", "go", "kev", "nvd", "pypi"];

    private static async Task<List<FeedImportResult>> ImportAllAsync(FeedFileImporter importer, bool force)
    {
        var results = new List<FeedImportResult>();
        foreach (var source in Sources)
            results.AddRange(await importer.ImportFolderAsync(source, RepositoryLayout.Feeds, source, force));
        return results;
    }

    private static Package Deb(string name, string source, string version) => new()
    {
        Type = PurlType.Deb,
        Namespace = "debian",
        Name = name,
        Version = version,
        SourceName = source,
        SourceVersion = version,
        Distro = "debian-12",
        Path = "var/lib/dpkg/status",
        Detector = "test",
    };

    private static Package Lang(string type, string? ns, string name, string version) =>
        new() { Type = type, Namespace = ns, Name = name, Version = version, Path = "app", Detector = "test" };

    [Fact]
    public async Task The_whole_corpus_imports_reimports_without_writing_and_holds_the_known_facts()
    {
        await using var source = FeedStore.CreateDataSource(await BackingServices.FreshDatabaseAsync("feedcorpus"));
        var store = new FeedStore(source);
        await store.EnsureSchemaAsync();
        var importer = new FeedFileImporter(store);

        var watch = Stopwatch.StartNew();
        var first = await ImportAllAsync(importer, force: false);
        output.WriteLine($"full import: {watch.Elapsed.TotalSeconds:F1} s, {first.Count} feeds, {first.Sum(r => r.Records)} records, {first.Sum(r => r.Malformed)} malformed");
        watch.Restart();
        var compared = await ImportAllAsync(importer, force: true);
        output.WriteLine($"re-import comparing every record: {watch.Elapsed.TotalSeconds:F1} s");
        watch.Restart();
        var skipped = await ImportAllAsync(importer, force: false);
        output.WriteLine($"re-import by watermark: {watch.Elapsed.TotalSeconds:F1} s");
        watch.Restart();
        var index = await store.LoadIndexAsync(VersionSchemes.ForOsvEcosystem);
        output.WriteLine($"index from the store: {watch.Elapsed.TotalSeconds:F1} s, {index.AdvisoryCount} advisories, {index.PackageCount} keys");

        Assert.Equal(54, first.Count);
        Assert.True(first.Sum(r => r.Records) > 130_000);
        Assert.Contains(first, r => r.Feed == "debian/debian12-cve.osv" && r.Records == 30918 && r.Added == 30918);
        Assert.Contains(first, r => r.Feed == "ghsa/ghsa-npm.osv" && r.Records == 3792);
        Assert.All(compared, r => Assert.False(r.ChangedSomething, r.Feed));
        Assert.All(compared.Where(r => r.Source is not ("kev" or "epss")), r => Assert.Equal(r.Records, r.Unchanged));
        Assert.All(skipped, r => Assert.True(r.UpToDate, r.Feed));

        var matcher = new Matcher(index);
        var glibc = Assert.Single(matcher.Match(Deb("libc6", "glibc", "2.36-9+deb12u1")), f => f.VulnerabilityId == "CVE-2023-4911");
        Assert.True(glibc.KnownExploited);
        Assert.Equal(7.8, glibc.Cvss?.Score);
        Assert.Equal("2.36-9+deb12u3", glibc.FixedVersion);
        Assert.DoesNotContain(matcher.Match(Deb("libc6", "glibc", "2.36-9+deb12u3")), f => f.VulnerabilityId == "CVE-2023-4911");
        Assert.Contains(matcher.Match(Lang(PurlType.Npm, null, "lodash", "4.17.20")), f => f.VulnerabilityId == "CVE-2021-23337");
        Assert.DoesNotContain(matcher.Match(Lang(PurlType.Npm, null, "lodash", "4.17.20")), f => f.AllIds.Contains("GHSA-8p5q-j9m2-g8wr"));
        Assert.Contains(matcher.Match(Lang(PurlType.Npm, null, "minimist", "1.2.5")), f => f.VulnerabilityId == "CVE-2021-44906");
        Assert.Contains(matcher.Match(Lang(PurlType.NuGet, null, "Newtonsoft.Json", "12.0.1")), f => f.AllIds.Contains("GHSA-5crp-9r3c-p9vr"));
        var log4j = Assert.Single(matcher.Match(Lang(PurlType.Maven, "org.apache.logging.log4j", "log4j-core", "2.14.1")), f => f.VulnerabilityId == "CVE-2021-44228");
        Assert.True(log4j.KnownExploited);
        Assert.Equal(10.0, log4j.Cvss?.Score);
    }
}

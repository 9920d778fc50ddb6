using System.IO.Compression;
using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Osv;
using SupplyChainMesh.Analysis.Tests.Advisories;

namespace SupplyChainMesh.Analysis.Tests.Osv;

public class OsvParserTests
{
    private static Task<List<Advisory>> Parse(string file, FeedProblemList? problems = null) =>
        FeedTestData.ParseAsync(new OsvParser(), FeedTestData.Open(file), problems);

    [Fact]
    public async Task Debian_export_record_keeps_source_package_range_versions_and_urgency()
    {
        var problems = new FeedProblemList();
        var advisories = await Parse("debian-sample.osv.jsonl", problems);
        Assert.Empty(problems.Problems);
        var cve = Assert.Single(advisories, a => a.Id == "CVE-2023-4911");
        var affected = Assert.Single(cve.Affected);
        Assert.Equal("Debian:12", affected.Ecosystem);
        Assert.Equal("glibc", affected.Name);
        Assert.Equal("pkg:deb/debian/glibc?arch=source", affected.Purl);
        Assert.Equal("not yet assigned", affected.EcosystemSeverity);
        var range = Assert.Single(affected.Ranges);
        Assert.Equal(RangeType.Ecosystem, range.Type);
        Assert.Equal([new RangeEvent(RangeEventKind.Introduced, "0"), new RangeEvent(RangeEventKind.Fixed, "2.36-9+deb12u3")], range.Events);
        Assert.Contains("2.36-9+deb12u1", affected.Versions);
        Assert.Contains("DSA-5514-1", cve.Related);
        var severity = Assert.Single(cve.Severities);
        Assert.Equal(CvssKind.V31, severity.Kind);
        Assert.Equal(7.8, severity.Score);
        Assert.Equal(new DateTimeOffset(2023, 10, 3, 18, 15, 10, TimeSpan.Zero), cve.Published);
        Assert.False(cve.IsWithdrawn);
    }

    [Fact]
    public async Task Unfixed_debian_entry_has_only_introduced_zero()
    {
        var advisories = await Parse("debian-sample.osv.jsonl");
        var zlib = Assert.Single(advisories.Single(a => a.Id == "CVE-2023-45853").Affected, a => a.Name == "zlib");
        var range = Assert.Single(zlib.Ranges);
        Assert.True(Assert.Single(range.Events).IsZero);
        var unimportant = advisories.Single(a => a.Id == "CVE-2010-4756").Affected.Single(a => a.Name == "glibc");
        Assert.Equal("unimportant", unimportant.EcosystemSeverity);
    }

    [Fact]
    public async Task Ghsa_record_has_aliases_rating_and_withdrawn_summary_prefix()
    {
        var advisories = await Parse("ghsa-npm-lodash.osv.jsonl");
        Assert.Equal(3, advisories.Count);
        var ghsa = advisories.Single(a => a.Id == "GHSA-35jh-r3h4-6jhm");
        Assert.Equal(["CVE-2021-23337"], ghsa.Aliases);
        Assert.Equal(Severity.High, ghsa.DatabaseSeverity);
        Assert.False(ghsa.IsWithdrawn);
        var lodash = Assert.Single(ghsa.Affected, a => a.Name == "lodash");
        Assert.Equal(("npm", "lodash"), (lodash.Ecosystem, lodash.Name));
        Assert.Contains(lodash.Ranges.SelectMany(r => r.Events), e => e == new RangeEvent(RangeEventKind.Fixed, "4.17.21"));

        var withdrawn = advisories.Single(a => a.Id == "GHSA-8p5q-j9m2-g8wr");
        Assert.StartsWith("Withdrawn:", withdrawn.Summary, StringComparison.Ordinal);
        Assert.True(withdrawn.IsWithdrawn);
        Assert.Equal(withdrawn.Modified, withdrawn.Withdrawn);
    }

    [Fact]
    public async Task Duplicate_advisory_prefix_counts_as_withdrawn()
    {
        const string line = """{"id":"GHSA-aaaa-bbbb-cccc","modified":"2024-01-01T00:00:00Z","summary":"Duplicate Advisory: something","affected":[{"package":{"ecosystem":"npm","name":"x"},"ranges":[{"type":"SEMVER","events":[{"introduced":"0"}]}]}]}""";
        var advisory = Assert.Single(await FeedTestData.ParseAsync(new OsvParser(), FeedTestData.FromText(line + "\n")));
        Assert.True(advisory.IsWithdrawn);
    }

    [Fact]
    public async Task PyPA_withdrawn_field_is_read()
    {
        var advisories = await Parse("pypa-sample.osv.jsonl");
        var withdrawn = advisories.Single(a => a.Id == "PYSEC-2019-144");
        Assert.Equal(new DateTimeOffset(2022, 9, 9, 5, 28, 0, TimeSpan.Zero), withdrawn.Withdrawn);
        var requests = advisories.Single(a => a.Id == "PYSEC-2023-74");
        Assert.False(requests.IsWithdrawn);
        Assert.Contains("CVE-2023-32681", requests.Aliases);
        Assert.Equal("PyPI", requests.Affected.Single().Ecosystem);
    }

    [Fact]
    public async Task Single_pretty_printed_record_is_one_document()
    {
        var go = Assert.Single(await Parse("GO-2023-2102.json"));
        Assert.Equal("GO-2023-2102", go.Id);
        Assert.Contains("CVE-2023-39325", go.Aliases);
        Assert.Contains("GHSA-4374-p667-p6c8", go.Aliases);
        Assert.Contains(go.Affected, a => a.Ecosystem == "Go" && a.Name == "golang.org/x/net" && a.Ranges.All(r => r.Type == RangeType.Semver));
        Assert.Contains(go.Affected, a => a.Name == "stdlib");
    }

    [Fact]
    public async Task Json_array_of_records()
    {
        var lines = File.ReadAllLines(FeedTestData.PathOf("ghsa-npm-lodash.osv.jsonl"));
        var array = "[\n" + string.Join(",\n", lines) + "\n]";
        var advisories = await FeedTestData.ParseAsync(new OsvParser(), FeedTestData.FromText(array));
        Assert.Equal(["GHSA-29mw-wpgm-hmr9", "GHSA-35jh-r3h4-6jhm", "GHSA-8p5q-j9m2-g8wr"], advisories.Select(a => a.Id));
    }

    [Fact]
    public async Task Zip_export_of_single_record_files()
    {
        var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var line in File.ReadAllLines(FeedTestData.PathOf("debian-sample.osv.jsonl")))
            {
                var id = line[(line.IndexOf("\"id\":\"", StringComparison.Ordinal) + 6)..];
                id = id[..id.IndexOf('"', StringComparison.Ordinal)];
                var entry = archive.CreateEntry(id + ".json");
                await using var writer = new StreamWriter(entry.Open());
                await writer.WriteAsync(line);
            }
            archive.CreateEntry("README.txt");
        }
        zip.Position = 0;
        var problems = new FeedProblemList();
        var advisories = await new OsvParser().ParseZipAsync(zip, problems).ToListAsync();
        Assert.Equal(["CVE-2023-4911", "CVE-2023-45853", "DSA-5514-1", "CVE-2010-4756"], advisories.Select(a => a.Id));
        Assert.Empty(problems.Problems);
    }

    [Fact]
    public async Task Folder_of_mixed_files()
    {
        var dir = Directory.CreateTempSubdirectory("osv-folder-");
        try
        {
            File.Copy(FeedTestData.PathOf("GO-2023-2102.json"), Path.Combine(dir.FullName, "GO-2023-2102.json"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "npm"));
            File.Copy(FeedTestData.PathOf("ghsa-npm-lodash.osv.jsonl"), Path.Combine(dir.FullName, "npm", "lodash.jsonl"));
            var advisories = await new OsvParser().ParsePathAsync(dir.FullName, new FeedProblemList()).ToListAsync();
            Assert.Equal(4, advisories.Count);
            Assert.Contains(advisories, a => a.Id == "GO-2023-2102");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Malformed_lines_are_reported_with_id_and_line_and_the_rest_goes_on()
    {
        var good = File.ReadAllLines(FeedTestData.PathOf("ghsa-npm-lodash.osv.jsonl"));
        var text = string.Join("\n",
            good[0],
            good[1][..200], // truncated record
            """{"summary":"no id here","affected":[]}""",
            """{"id":"GHSA-wrong-type","affected":"not a list"}""",
            "",
            good[2]);
        var problems = new FeedProblemList();
        var advisories = await FeedTestData.ParseAsync(new OsvParser(), FeedTestData.FromText(text), problems);
        Assert.Equal(["GHSA-29mw-wpgm-hmr9", "GHSA-8p5q-j9m2-g8wr"], advisories.Select(a => a.Id));
        Assert.Equal(3, problems.Count);
        Assert.Equal("GHSA-35jh-r3h4-6jhm", problems.Problems[0].RecordId);
        Assert.EndsWith(":2", problems.Problems[0].Location, StringComparison.Ordinal);
        Assert.Null(problems.Problems[1].RecordId);
        Assert.Contains("no id", problems.Problems[1].Reason, StringComparison.Ordinal);
        Assert.Equal("GHSA-wrong-type", problems.Problems[2].RecordId);
    }

    [Fact]
    public async Task Garbage_document_is_one_problem_not_a_crash()
    {
        var problems = new FeedProblemList();
        var advisories = await FeedTestData.ParseAsync(new OsvParser(), FeedTestData.FromText("{\n \"id\": \"GHSA-x\", \"affected\": [ \n"), problems);
        Assert.Empty(advisories);
        Assert.Single(problems.Problems);
    }
}

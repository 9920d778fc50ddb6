using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Epss;
using SupplyChainMesh.Analysis.Kev;
using SupplyChainMesh.Analysis.Osv;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Analysis.Matching;

/// <summary>What a folder load read: per file, how many records, and every record skipped.</summary>
public sealed record FeedLoadReport(IReadOnlyDictionary<string, int> RecordsByFile, IReadOnlyList<FeedProblem> Problems, IReadOnlyCollection<string> EcosystemsWithoutScheme)
{
    public int Records => RecordsByFile.Values.Sum();
}

/// <summary>
/// Loads a local feed folder shaped like <c>../shared/feeds/</c> (an air-gapped mirror) into a
/// <see cref="VulnerabilityIndex"/>. The folder a file sits in names its format: <c>alpine-secdb/</c> (secdb JSON),
/// <c>nvd/</c> (CVE API 2.0 pages), <c>kev/</c>, <c>epss/</c> (CSV), <c>debian-security-tracker/</c> (tracker JSON);
/// <c>nodejs-security-wg/</c> and <c>rustsec/</c> hold their own non-OSV schemas and are not read, nor is the folder's
/// <c>manifest.json</c>; every other
/// <c>.json</c>, <c>.jsonl</c> and <c>.zip</c> is OSV. Files are parsed in parallel.
/// </summary>
public static class FeedCorpus
{
    public static async Task<(VulnerabilityIndex Index, FeedLoadReport Report)> LoadAsync(string folder, Func<string, IVersionScheme?> schemeForEcosystem, CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"The feed folder '{folder}' does not exist.");
        var problems = new FeedProblemList();
        var files = Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .ToList();

        var kev = KevCatalog.Empty;
        var epss = EpssScores.Empty;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var parsed = new List<(string File, List<Advisory> Advisories)>();
        using var gate = new SemaphoreSlim(Math.Max(1, Environment.ProcessorCount));
        var tasks = new List<Task>();
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(folder, file).Replace('\\', '/');
            var format = FeedFormats.Of(relative);
            if (format == FeedFormat.Kev)
            {
                await using var stream = File.OpenRead(file);
                kev = await KevCatalog.ParseAsync(stream, problems, cancellationToken).ConfigureAwait(false);
                counts[relative] = kev.Count;
                continue;
            }
            if (format == FeedFormat.Epss)
            {
                await using var stream = File.OpenRead(file);
                epss = EpssScores.Parse(stream, problems);
                counts[relative] = epss.Count;
                continue;
            }
            if (format == FeedFormat.None) continue;
            IFeedParser? parser = format == FeedFormat.Osv ? null : FeedFormats.ParserFor(format);
            var slot = new List<Advisory>();
            lock (parsed) parsed.Add((relative, slot));
            tasks.Add(Task.Run(async () =>
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var records = parser is null
                        ? new OsvParser(Path.GetFileNameWithoutExtension(relative)).ParsePathAsync(file, problems, cancellationToken)
                        : ParseFileAsync(parser, file, problems, cancellationToken);
                    await foreach (var advisory in records.ConfigureAwait(false)) slot.Add(advisory);
                }
                finally
                {
                    gate.Release();
                }
            }, cancellationToken));
        }
        await Task.WhenAll(tasks).ConfigureAwait(false);

        var builder = new VulnerabilityIndexBuilder(schemeForEcosystem).WithKev(kev).WithEpss(epss);
        foreach (var (file, advisories) in parsed)
        {
            counts[file] = advisories.Count;
            builder.AddRange(advisories);
            // The builder keeps compact copies; let the parsed records go as soon as they are indexed.
            advisories.Clear();
            advisories.TrimExcess();
        }
        return (builder.Build(), new FeedLoadReport(counts, problems.Problems, [.. builder.EcosystemsWithoutScheme]));
    }

    private static async IAsyncEnumerable<Advisory> ParseFileAsync(IFeedParser parser, string file, IFeedProblemSink problems, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = File.OpenRead(file);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var advisory in parser.ParseAsync(stream, problems, cancellationToken).ConfigureAwait(false))
                yield return advisory;
        }
    }
}

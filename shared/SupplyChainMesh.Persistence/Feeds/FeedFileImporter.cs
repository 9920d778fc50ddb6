using System.Security.Cryptography;
using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Epss;
using SupplyChainMesh.Analysis.Kev;
using SupplyChainMesh.Analysis.Matching;

namespace SupplyChainMesh.Persistence.Feeds;

/// <summary>
/// Imports complete feed files (a mirror folder's files, or a download once it is complete and verified) into the
/// <see cref="FeedStore"/>: one file is one batch, its sha256 the watermark, so an unchanged file is not even parsed
/// unless <c>force</c> asks for the record-by-record comparison.
/// </summary>
public sealed class FeedFileImporter(FeedStore store)
{
    /// <summary>Imports every readable file of a mirror folder that belongs to <paramref name="source"/>; the feed of a
    /// file is its path relative to <paramref name="mirrorRoot"/> without the extension (<c>ghsa/ghsa-npm.osv</c>).</summary>
    public async Task<IReadOnlyList<FeedImportResult>> ImportFolderAsync(string source, string mirrorRoot, string folder, bool force = false, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(mirrorRoot, folder);
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : File.Exists(path) ? [path] : throw new FeedImportException($"The mirror of source '{source}' is missing: '{path}'.");
        var feeds = files.Select(file => Path.GetRelativePath(mirrorRoot, file).Replace('\\', '/'))
            .Select((relative, i) => (File: files[i], Relative: relative, Format: FeedFormats.Of(relative)))
            .Where(f => f.Format != FeedFormat.None).ToList();
        // Parsing, normalising and hashing a file is CPU work and each file is its own transaction: two files at a time.
        var results = new FeedImportResult[feeds.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, feeds.Count), new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await ImportFileAsync(source, FeedNameOf(feeds[i].Relative), feeds[i].Format, feeds[i].File, force, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    /// <summary>The feed name of a mirror file: its relative path without the extension.</summary>
    public static string FeedNameOf(string relativePath)
    {
        var dot = relativePath.LastIndexOf('.');
        return dot > relativePath.LastIndexOf('/') ? relativePath[..dot] : relativePath;
    }

    /// <summary>Imports one complete file of a known format.</summary>
    public async Task<FeedImportResult> ImportFileAsync(string source, string feed, FeedFormat format, string file, bool force = false, CancellationToken cancellationToken = default)
    {
        var watermark = await Sha256Async(file, cancellationToken).ConfigureAwait(false);
        var batch = new FeedBatch(source, feed, watermark);
        if (!force && await store.WatermarkAsync(feed, cancellationToken).ConfigureAwait(false) == watermark) return FeedImportResult.Skipped(batch);

        var problems = new FeedProblemList();
        if (format is FeedFormat.Kev or FeedFormat.Epss)
        {
            var content = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            using var stream = new MemoryStream(content, writable: false);
            int count;
            DateTimeOffset? newest;
            if (format == FeedFormat.Kev)
            {
                var kev = await KevCatalog.ParseAsync(stream, problems, cancellationToken).ConfigureAwait(false);
                (count, newest) = (kev.Count, kev.DateReleased);
            }
            else
            {
                var epss = EpssScores.Parse(stream, problems);
                count = epss.Count;
                newest = epss.ScoreDate is { } d ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : null;
            }
            if (count == 0) throw new FeedImportException($"{feed}: no {format} entry could be read ({problems.Count} problems); nothing imported.");
            return await store.ImportDocumentAsync(batch, format, content, count, problems.Problems, newest, cancellationToken).ConfigureAwait(false);
        }

        var parser = FeedFormats.ParserFor(format, Path.GetFileNameWithoutExtension(file))
            ?? throw new FeedImportException($"{feed}: format {format} has no parser.");
        if (parser is Analysis.Osv.OsvParser lines && file.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            && await ImportChangedLinesAsync(batch, lines, file, cancellationToken).ConfigureAwait(false) is { } result)
            return result;
        var records = new List<Advisory>();
        var input = File.OpenRead(file);
        await using (input.ConfigureAwait(false))
        {
            var parsed = parser is Analysis.Osv.OsvParser osv && file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
                ? osv.ParseZipAsync(input, problems, cancellationToken)
                : parser.ParseAsync(input, problems, cancellationToken);
            await foreach (var advisory in parsed.ConfigureAwait(false)) records.Add(advisory);
        }
        return await store.ImportAsync(batch, records, problems.Problems, cancellationToken).ConfigureAwait(false);
    }

    // A JSON-lines file: each line's raw bytes are hashed before parsing and a line whose hash is stored is not parsed,
    // so a re-import of unchanged data parses nothing. Null when a record spans several lines and one of them was
    // skipped (the record cannot be rebuilt from the changed lines alone): the caller then parses the whole file.
    private async Task<FeedImportResult?> ImportChangedLinesAsync(FeedBatch batch, Analysis.Osv.OsvParser parser, string file, CancellationToken cancellationToken)
    {
        var known = await store.RawHashesAsync(batch.Feed, cancellationToken).ConfigureAwait(false);
        var problems = new FeedProblemList();
        var records = new List<Advisory>();
        var unchanged = new HashSet<string>(StringComparer.Ordinal);
        var rawHashes = new Dictionary<string, byte[]?>(StringComparer.Ordinal);
        DateTimeOffset? newestUnchanged = null;
        var input = File.OpenRead(file);
        await using (input.ConfigureAwait(false))
        {
            await foreach (var line in parser.ParseChangedLinesAsync(input, file, known.ContainsKey, problems, cancellationToken).ConfigureAwait(false))
            {
                if (line.Known)
                {
                    var (id, modified) = known[line.Hash];
                    unchanged.Add(id);
                    if (modified is { } m && (newestUnchanged is null || m > newestUnchanged)) newestUnchanged = m;
                }
                else if (line.Advisory is { } advisory)
                {
                    records.Add(advisory);
                    rawHashes[advisory.Id] = rawHashes.ContainsKey(advisory.Id) ? null : line.Hash;
                }
            }
        }
        if (records.Any(r => unchanged.Contains(r.Id))) return null;
        return await store.ImportAsync(batch, records, problems.Problems, new RawRecords(unchanged, newestUnchanged, rawHashes), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The lower-case hex sha256 of a file: the watermark of a complete feed file.</summary>
    public static async Task<string> Sha256Async(string file, CancellationToken cancellationToken = default)
    {
        var stream = File.OpenRead(file);
        await using (stream.ConfigureAwait(false))
        {
            return "sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
        }
    }
}

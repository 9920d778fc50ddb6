using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SupplyChainMesh.Analysis.Advisories;

namespace SupplyChainMesh.Analysis.Osv;

/// <summary>
/// Reads OSV records (GHSA, Go vulndb, PyPA, osv.dev's Debian export, ...) in every shape they are published in:
/// JSON lines, a single record per file, a JSON array, a zip export (osv.dev's <c>all.zip</c>) and folders of those.
/// </summary>
public sealed class OsvParser : IFeedParser
{
    // GitHub writes these at the start of the summary of advisories it withdrew; mirrors that lost the
    // `withdrawn` field still carry them (see feeds/README.md, "Changes made", 2).
    private static readonly string[] WithdrawnSummaryPrefixes = ["Withdrawn:", "Duplicate Advisory:"];

    public OsvParser(string name = "osv") => Name = name;

    public string Name { get; }

    /// <summary>Parses JSON lines, a single JSON record or a JSON array, whichever the stream holds.</summary>
    public async IAsyncEnumerable<Advisory> ParseAsync(Stream content, IFeedProblemSink problems, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(problems);
        var pipe = PipeReader.Create(content, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true));
        var shape = await SniffAsync(pipe, cancellationToken).ConfigureAwait(false);
        var stream = pipe.AsStream(leaveOpen: false);
        await using (stream.ConfigureAwait(false))
        {
            if (shape == Shape.Lines)
            {
                await foreach (var advisory in ParseLinesAsync(stream, Name, problems, cancellationToken).ConfigureAwait(false))
                    yield return advisory;
            }
            else
            {
                foreach (var advisory in await ParseDocumentAsync(stream, Name, problems, cancellationToken).ConfigureAwait(false))
                    yield return advisory;
            }
        }
    }

    /// <summary>Parses a file (<c>.jsonl</c>, <c>.json</c>, <c>.zip</c>) or every such file under a folder.</summary>
    public async IAsyncEnumerable<Advisory> ParsePathAsync(string path, IFeedProblemSink problems, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                await foreach (var advisory in ParsePathAsync(file, problems, cancellationToken).ConfigureAwait(false))
                    yield return advisory;
            }
            yield break;
        }
        var stream = File.OpenRead(path);
        await using (stream.ConfigureAwait(false))
        {
            if (path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                await foreach (var advisory in ParseZipAsync(stream, problems, cancellationToken).ConfigureAwait(false))
                    yield return advisory;
            }
            else if (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            {
                await foreach (var advisory in ParseLinesAsync(stream, path, problems, cancellationToken).ConfigureAwait(false))
                    yield return advisory;
            }
            else
            {
                foreach (var advisory in await ParseDocumentAsync(stream, path, problems, cancellationToken).ConfigureAwait(false))
                    yield return advisory;
            }
        }
    }

    /// <summary>Parses a zip of one-record JSON files (osv.dev's per-ecosystem <c>all.zip</c>).</summary>
    public async IAsyncEnumerable<Advisory> ParseZipAsync(Stream zip, IFeedProblemSink problems, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ZipArchive archive;
        try
        {
            archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException ex)
        {
            problems.Problem(new FeedProblem(null, Name, $"not a zip archive: {ex.Message}"));
            yield break;
        }
        using (archive)
        {
            foreach (var entry in archive.Entries)
            {
                if (!entry.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) continue;
                List<Advisory> parsed;
                var entryStream = entry.Open();
                await using (entryStream.ConfigureAwait(false))
                {
                    parsed = await ParseDocumentAsync(entryStream, entry.FullName, problems, cancellationToken).ConfigureAwait(false);
                }
                foreach (var advisory in parsed) yield return advisory;
            }
        }
    }

    private IAsyncEnumerable<Advisory> ParseLinesAsync(Stream content, string location, IFeedProblemSink problems, CancellationToken cancellationToken) =>
        JsonLines.ReadAsync<Advisory>(content, (in ReadOnlySequence<byte> line, long number, List<Advisory> output) =>
        {
            if (ParseLine(line, $"{location}:{number}", problems) is { } advisory) output.Add(advisory);
        }, cancellationToken);

    /// <summary>
    /// Parses JSON lines, hashing each line's raw bytes (SHA-256) BEFORE parsing it: a line whose hash
    /// <paramref name="isKnown"/> accepts is not parsed (a re-import pays a hash, not a parse, for an unchanged record)
    /// and comes out with no advisory. A malformed line is reported and comes out with no advisory and not known.
    /// </summary>
    public IAsyncEnumerable<RawLine> ParseChangedLinesAsync(Stream content, string location, Func<byte[], bool> isKnown, IFeedProblemSink problems, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(isKnown);
        return JsonLines.ReadAsync<RawLine>(content, (in ReadOnlySequence<byte> line, long number, List<RawLine> output) =>
        {
            var hash = RawLine.HashOf(line);
            output.Add(isKnown(hash) ? new RawLine(hash, Known: true, null) : new RawLine(hash, Known: false, ParseLine(line, $"{location}:{number}", problems)));
        }, cancellationToken);
    }

    private Advisory? ParseLine(in ReadOnlySequence<byte> line, string location, IFeedProblemSink problems)
    {
        OsvRecord? record;
        try
        {
            var reader = new Utf8JsonReader(line);
            record = JsonSerializer.Deserialize(ref reader, OsvJsonContext.Default.OsvRecord);
        }
        catch (JsonException ex)
        {
            problems.Problem(new FeedProblem(JsonLines.SniffId(line), location, $"malformed JSON: {ex.Message}"));
            return null;
        }
        return Map(record, location, problems);
    }

    private async Task<List<Advisory>> ParseDocumentAsync(Stream content, string location, IFeedProblemSink problems, CancellationToken cancellationToken)
    {
        var output = new List<Advisory>();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(content, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            problems.Problem(new FeedProblem(null, location, $"malformed JSON: {ex.Message}"));
            return output;
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var element in root.EnumerateArray())
                    MapElement(element, $"{location}[{index++}]", problems, output);
            }
            else
            {
                MapElement(root, location, problems, output);
            }
        }
        return output;
    }

    private void MapElement(JsonElement element, string location, IFeedProblemSink problems, List<Advisory> output)
    {
        OsvRecord? record;
        try
        {
            record = element.Deserialize(OsvJsonContext.Default.OsvRecord);
        }
        catch (JsonException ex)
        {
            var id = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
            problems.Problem(new FeedProblem(id, location, $"not an OSV record: {ex.Message}"));
            return;
        }
        if (Map(record, location, problems) is { } advisory) output.Add(advisory);
    }

    private Advisory? Map(OsvRecord? record, string location, IFeedProblemSink problems)
    {
        if (record is null)
        {
            problems.Problem(new FeedProblem(null, location, "empty record (null)"));
            return null;
        }
        if (string.IsNullOrWhiteSpace(record.Id))
        {
            problems.Problem(new FeedProblem(null, location, "record has no id"));
            return null;
        }
        var id = record.Id;
        var source = SeveritySource(id);
        var modified = ParseDate(record.Modified);
        var published = ParseDate(record.Published);
        var withdrawn = ParseDate(record.Withdrawn);
        if (withdrawn is null && record.Summary is { } summary && WithdrawnSummaryPrefixes.Any(p => summary.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            withdrawn = modified ?? published ?? DateTimeOffset.UnixEpoch;

        var affected = new List<AffectedPackage>(record.Affected?.Count ?? 0);
        foreach (var entry in record.Affected ?? [])
        {
            if (entry?.Package is not { Ecosystem: { Length: > 0 } ecosystem, Name: { Length: > 0 } name } package) continue;
            var ranges = new List<AffectedRange>(entry.Ranges?.Count ?? 0);
            foreach (var range in entry.Ranges ?? [])
            {
                if (range is null) continue;
                RangeType? type = range.Type?.ToUpperInvariant() switch
                {
                    "ECOSYSTEM" => RangeType.Ecosystem,
                    "SEMVER" => RangeType.Semver,
                    "GIT" => RangeType.Git,
                    _ => null,
                };
                if (type is null)
                {
                    problems.Problem(new FeedProblem(id, location, $"unknown range type '{range.Type}' for {ecosystem}/{name}; range skipped"));
                    continue;
                }
                var events = new List<RangeEvent>(range.Events?.Count ?? 0);
                foreach (var e in range.Events ?? [])
                {
                    if (e is null) continue;
                    if (e.Introduced is { } introduced) events.Add(new RangeEvent(RangeEventKind.Introduced, introduced));
                    else if (e.Fixed is { } fixedIn) events.Add(new RangeEvent(RangeEventKind.Fixed, fixedIn));
                    else if (e.LastAffected is { } last) events.Add(new RangeEvent(RangeEventKind.LastAffected, last));
                    else if (e.Limit is { } limit) events.Add(new RangeEvent(RangeEventKind.Limit, limit));
                }
                ranges.Add(new AffectedRange(type.Value, events));
            }
            affected.Add(new AffectedPackage
            {
                Ecosystem = ecosystem,
                Name = name,
                Purl = package.Purl,
                Ranges = ranges,
                Versions = entry.Versions is { Count: > 0 } versions ? versions : [],
                EcosystemSeverity = entry.EcosystemSpecific?.Urgency,
            });
        }

        var severities = new List<SeverityScore>();
        foreach (var s in record.Severity ?? [])
        {
            if (s?.Score is not { Length: > 0 } vector) continue;
            if (CvssV3.KindOf(vector) is not { } kind) continue;
            severities.Add(new SeverityScore(kind, vector, CvssV3.BaseScore(vector), source, Primary: true));
        }

        return new Advisory
        {
            Id = id,
            Aliases = record.Aliases is { Count: > 0 } aliases ? aliases : [],
            Related = record.Related is { Count: > 0 } related ? related : [],
            Summary = record.Summary,
            Details = record.Details,
            Published = published,
            Modified = modified,
            Withdrawn = withdrawn,
            Severities = severities,
            DatabaseSeverity = SeverityLevels.Parse(record.DatabaseSpecific?.Severity),
            References = record.References is { Count: > 0 } refs ? [.. refs.Where(r => r?.Url is not null).Select(r => r.Url!)] : [],
            Affected = affected,
            Source = Name,
        };
    }

    // Who rated it: GHSA records carry GitHub's rating; osv.dev's Debian CVE records carry NVD's vector.
    private static string SeveritySource(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 ? id[..dash].ToLowerInvariant() : "osv";
    }

    internal static DateTimeOffset? ParseDate(string? value) =>
        value is { Length: > 0 } && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : null;

    private enum Shape { Lines, Document }

    // JSON lines start with a complete record on the first line; a pretty-printed record or an array does not.
    // Peeks without consuming: the pipe hands the same bytes to the real parser afterwards.
    private static async Task<Shape> SniffAsync(PipeReader pipe, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await pipe.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var newline = buffer.PositionOf((byte)'\n');
            if (newline is null && !result.IsCompleted && buffer.Length < 1024 * 1024)
            {
                pipe.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }
            var head = (newline is { } nl ? buffer.Slice(0, nl) : buffer);
            var shape = Classify(head.Length > 1024 * 1024 ? head.Slice(0, 1024 * 1024).ToArray() : head.ToArray());
            pipe.AdvanceTo(buffer.Start, buffer.Start);
            return shape;
        }
    }

    private static Shape Classify(ReadOnlySpan<byte> firstLine)
    {
        if (firstLine.StartsWith("\uFEFF"u8)) firstLine = firstLine[3..];
        firstLine = firstLine.Trim(" \t\r"u8);
        if (firstLine.IsEmpty || firstLine[0] != (byte)'{') return Shape.Document;
        // A one-line file is both; treat it as lines (each line is then one record).
        return firstLine.Length > 1 && firstLine[^1] == (byte)'}' ? Shape.Lines : Shape.Document;
    }
}

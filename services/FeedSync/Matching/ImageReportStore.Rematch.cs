using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Contracts;

namespace SupplyChainMesh.FeedSync.Matching;

/// <summary>What a re-match did and where its time went (logged, and printed by the re-match benchmark).</summary>
public sealed record RematchStatistics
{
    /// <summary>Distinct (package, layer) variants of the affected keys across all stored images.</summary>
    public int Variants { get; set; }

    /// <summary>Distinct packages matched (each once, whatever the number of images holding it).</summary>
    public int DistinctPackages { get; set; }

    /// <summary>(variant, vulnerability) pairs whose finding appeared, disappeared or changed.</summary>
    public int ChangedFindings { get; set; }

    /// <summary>Stored finding rows deleted and inserted.</summary>
    public int RowsRemoved { get; set; }

    public int RowsAdded { get; set; }

    public TimeSpan Variant { get; set; }
    public TimeSpan Match { get; set; }
    public TimeSpan Diff { get; set; }
    public TimeSpan Apply { get; set; }
    public TimeSpan Reports { get; set; }

    public override string ToString() =>
        $"{Variants} variants, {DistinctPackages} distinct packages, {ChangedFindings} changed findings, -{RowsRemoved}/+{RowsAdded} rows; " +
        $"variants {Variant.TotalSeconds:F2}s, match {Match.TotalSeconds:F2}s, diff {Diff.TotalSeconds:F2}s, apply {Apply.TotalSeconds:F2}s, reports {Reports.TotalSeconds:F2}s";
}

public sealed record RematchOutcome(IReadOnlyList<(StoredImage Image, ReportHeader Report)> Changed, RematchStatistics Statistics);

public sealed partial class ImageReportStore
{
    /// <summary>
    /// Re-matches the stored packages with one of <paramref name="keys"/> (null: every package) in one transaction, set-based:
    /// <list type="number">
    /// <item>the distinct (package, layer) variants are gathered server-side, each with one representative stored row
    /// (only matched images have an inventory: a failed scan stores none);</item>
    /// <item>each distinct package is matched ONCE (10,000 images holding the same libc6 are one match, not 10,000);</item>
    /// <item>the new findings of each variant are compared with its representative's stored findings, giving the
    /// (variant, vulnerability) pairs that changed — findings are a function of (package, layer, index), and every write
    /// path stores exactly that, so the representative stands for all rows of its variant;</item>
    /// <item>only those pairs are deleted and re-inserted, for every stored row of the changed variants;</item>
    /// <item>each image's counts move by the rows removed and added (no re-count of its findings), and an image whose
    /// counts or ids changed gets one new report.</item>
    /// </list>
    /// </summary>
    public async Task<RematchOutcome> RematchAsync(IReadOnlyCollection<string>? keys, Func<Package, IReadOnlyList<Finding>> match, string trigger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        var stats = new RematchStatistics();
        var clock = Stopwatch.StartNew();
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        await using (var cmd = new NpgsqlCommand($"""
            CREATE TEMP TABLE variants ON COMMIT DROP AS
            SELECT (row_number() OVER ())::int AS variant, d.package_key, d.package, d.layer_index, d.layer_digest, r.image_id, r.ordinal FROM (
                SELECT DISTINCT p.package_key, p.package, p.layer_index, p.layer_digest FROM {S}.image_packages p
                WHERE p.package_key IS NOT NULL AND ($1::text[] IS NULL OR p.package_key = ANY($1))) d
            CROSS JOIN LATERAL (SELECT q.image_id, q.ordinal FROM {S}.image_packages q WHERE q.package_key = d.package_key AND q.package = d.package
                AND q.layer_index = d.layer_index AND q.layer_digest = d.layer_digest LIMIT 1) r
            """, conn, tx))
        {
            // One statement: a command with positional parameters cannot carry several.
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)keys?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var cmd = new NpgsqlCommand("""
            ANALYZE variants;
            CREATE TEMP TABLE found (variant integer, vulnerability_id text, severity integer, kev boolean, fixable boolean, finding jsonb) ON COMMIT DROP;
            SELECT variant, package::text, layer_index, layer_digest FROM variants
            """, conn, tx))
        {
            var variants = new List<(int Variant, string Package, int LayerIndex, string LayerDigest)>();
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                    variants.Add((reader.GetInt32(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3)));
            }
            stats.Variants = variants.Count;
            stats.Variant = Lap(clock);

            // One match per distinct package; the layer only decorates the stored finding.
            var distinct = variants.Select(v => v.Package).Distinct(StringComparer.Ordinal).ToList();
            stats.DistinctPackages = distinct.Count;
            var matched = distinct.AsParallel().WithCancellation(cancellationToken)
                .Select(json => (json, Findings: match(JsonSerializer.Deserialize(json, AnalysisJsonContext.Default.Package)!)))
                .ToDictionary(m => m.json, m => m.Findings, StringComparer.Ordinal);
            var rows = variants.SelectMany(v => matched[v.Package]
                    .Select(f => StoredFinding.From(f, v.LayerIndex, v.LayerDigest))
                    .DistinctBy(f => f.VulnerabilityId, StringComparer.Ordinal)
                    .Select(f => (v.Variant, f)));
            await using var writer = await conn.BeginBinaryImportAsync("COPY found (variant, vulnerability_id, severity, kev, fixable, finding) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var (variant, f) in rows)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(variant, NpgsqlDbType.Integer, cancellationToken);
                await WriteFindingColumnsAsync(writer, f, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
            stats.Match = Lap(clock);
        }
        await using (var cmd = new NpgsqlCommand("ANALYZE found", conn, tx))
        {
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }

        // The (variant, vulnerability) pairs whose stored finding differs from the new one, judged on each variant's representative.
        await using (var cmd = new NpgsqlCommand($"""
            CREATE TEMP TABLE delta ON COMMIT DROP AS
            SELECT COALESCE(n.variant, o.variant) AS variant, COALESCE(n.vulnerability_id, o.vulnerability_id) AS vulnerability_id
            FROM found n FULL JOIN (SELECT v.variant, f.vulnerability_id, f.finding FROM variants v
                JOIN {S}.image_findings f ON f.image_id = v.image_id AND f.ordinal = v.ordinal) o
              ON o.variant = n.variant AND o.vulnerability_id = n.vulnerability_id
            WHERE n.finding IS DISTINCT FROM o.finding;
            ANALYZE delta;
            SELECT count(*)::int FROM delta
            """, conn, tx))
            stats.ChangedFindings = (int)(await cmd.ExecuteScalarAsync(cancellationToken))!;
        stats.Diff = Lap(clock);
        if (stats.ChangedFindings == 0)
        {
            await tx.CommitAsync(cancellationToken);
            return new RematchOutcome([], stats);
        }

        await using (var cmd = new NpgsqlCommand($"""
            CREATE TEMP TABLE touched ON COMMIT DROP AS
            SELECT p.image_id, p.ordinal, v.variant FROM variants v
            JOIN {S}.image_packages p ON p.package_key = v.package_key AND p.package = v.package AND p.layer_index = v.layer_index AND p.layer_digest = v.layer_digest
            JOIN {S}.images i ON i.image_id = p.image_id AND i.succeeded
            WHERE v.variant IN (SELECT variant FROM delta);
            -- Temporary tables have no statistics until analysed: without them the planner may scan image_findings whole.
            ANALYZE touched;
            CREATE TEMP TABLE removed (image_id uuid, vulnerability_id text, severity integer, kev boolean, fixable boolean) ON COMMIT DROP;
            CREATE TEMP TABLE added (image_id uuid, vulnerability_id text, severity integer, kev boolean, fixable boolean) ON COMMIT DROP;
            WITH d AS (DELETE FROM {S}.image_findings f USING touched t, delta x
                WHERE x.variant = t.variant AND f.image_id = t.image_id AND f.ordinal = t.ordinal AND f.vulnerability_id = x.vulnerability_id
                RETURNING f.image_id, f.vulnerability_id, f.severity, f.kev, f.fixable)
            INSERT INTO removed SELECT * FROM d;
            WITH a AS (INSERT INTO {S}.image_findings (image_id, ordinal, vulnerability_id, severity, kev, fixable, finding)
                SELECT t.image_id, t.ordinal, n.vulnerability_id, n.severity, n.kev, n.fixable, n.finding
                FROM touched t JOIN delta x ON x.variant = t.variant JOIN found n ON n.variant = x.variant AND n.vulnerability_id = x.vulnerability_id
                RETURNING image_id, vulnerability_id, severity, kev, fixable)
            INSERT INTO added SELECT * FROM a;
            ANALYZE removed;
            ANALYZE added;
            SELECT (SELECT count(*)::int FROM removed), (SELECT count(*)::int FROM added)
            """, conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            (stats.RowsRemoved, stats.RowsAdded) = (reader.GetInt32(0), reader.GetInt32(1));
        }
        stats.Apply = Lap(clock);

        var reports = await IncrementalReportsAsync(conn, tx, trigger, cancellationToken);
        await InsertReportsAsync(conn, tx, reports.Select(r => r.Report).ToList(), cancellationToken);
        await tx.CommitAsync(cancellationToken);
        stats.Reports = Lap(clock);
        return new RematchOutcome(reports.Select(r => (r.Image with { LatestReportId = r.Report.ReportId }, r.Report)).ToList(), stats);
    }

    // Each image's previous report moved by the rows removed and added; an id removed from one package stays when another
    // package of the image still has it.
    private static async Task<List<(StoredImage Image, ReportHeader Report)>> IncrementalReportsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string trigger, CancellationToken cancellationToken)
    {
        var stillPresent = new HashSet<(Guid, string)>();
        await using (var cmd = new NpgsqlCommand($"""
            SELECT g.image_id, g.vulnerability_id FROM (SELECT image_id, vulnerability_id FROM removed EXCEPT SELECT image_id, vulnerability_id FROM added) g
            WHERE EXISTS (SELECT 1 FROM {S}.image_findings f WHERE f.image_id = g.image_id AND f.vulnerability_id = g.vulnerability_id)
            """, conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) stillPresent.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        var now = DateTimeOffset.UtcNow;
        var result = new List<(StoredImage Image, ReportHeader Report)>();
        var recount = new List<StoredImage>();
        await using (var cmd = new NpgsqlCommand($"""
            SELECT {string.Join(", ", ImageColumns.Split(", ").Select(c => "i." + c))},
                   r.critical, r.high, r.medium, r.low, r.negligible, r.unknown, r.kev, r.fixable, r.vulnerability_ids,
                   d.critical, d.high, d.medium, d.low, d.negligible, d.unknown, d.kev, d.fixable, d.added_ids, d.removed_ids
            FROM (SELECT image_id,
                    COALESCE(sum(sign) FILTER (WHERE severity = 5), 0)::int AS critical, COALESCE(sum(sign) FILTER (WHERE severity = 4), 0)::int AS high,
                    COALESCE(sum(sign) FILTER (WHERE severity = 3), 0)::int AS medium, COALESCE(sum(sign) FILTER (WHERE severity = 2), 0)::int AS low,
                    COALESCE(sum(sign) FILTER (WHERE severity = 1), 0)::int AS negligible, COALESCE(sum(sign) FILTER (WHERE severity = 0), 0)::int AS unknown,
                    COALESCE(sum(sign) FILTER (WHERE kev), 0)::int AS kev, COALESCE(sum(sign) FILTER (WHERE fixable), 0)::int AS fixable,
                    COALESCE(array_agg(DISTINCT vulnerability_id) FILTER (WHERE sign > 0), ARRAY[]::text[]) AS added_ids,
                    COALESCE(array_agg(DISTINCT vulnerability_id) FILTER (WHERE sign < 0), ARRAY[]::text[]) AS removed_ids
                  FROM (SELECT *, 1 AS sign FROM added UNION ALL SELECT *, -1 AS sign FROM removed) c GROUP BY image_id) d
            JOIN {S}.images i ON i.image_id = d.image_id
            LEFT JOIN {S}.reports r ON r.report_id = i.latest_report_id
            """, conn, tx))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var image = ReadImage(reader);
                if (reader.IsDBNull(11))
                {
                    recount.Add(image);
                    continue;
                }
                int At(int i) => reader.GetInt32(i) + reader.GetInt32(i + 9);
                var counts = new SeverityCounts(At(11), At(12), At(13), At(14), At(15), At(16));
                var (kev, fixable) = (At(17), At(18));
                var previousIds = reader.GetFieldValue<string[]>(19);
                var addedIds = reader.GetFieldValue<string[]>(28);
                var gone = reader.GetFieldValue<string[]>(29).Where(id => !addedIds.Contains(id, StringComparer.Ordinal) && !stillPresent.Contains((image.ImageId, id)));
                var ids = previousIds.Union(addedIds, StringComparer.Ordinal).Except(gone, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                var previousCounts = new SeverityCounts(reader.GetInt32(11), reader.GetInt32(12), reader.GetInt32(13), reader.GetInt32(14), reader.GetInt32(15), reader.GetInt32(16));
                if (counts == previousCounts && kev == reader.GetInt32(17) && fixable == reader.GetInt32(18) && ids.SequenceEqual(previousIds.Order(StringComparer.Ordinal)))
                    continue;
                var newIds = ids.Except(previousIds, StringComparer.Ordinal).ToArray();
                result.Add((image, new ReportHeader(Guid.NewGuid(), image.ImageId, trigger, now, counts, kev, fixable, ids, newIds)));
            }
        }
        // An image without a previous report (none is expected: a stored scan always has one) is counted in full.
        foreach (var image in recount)
        {
            var findings = new List<StoredFinding>();
            await using var cmd = new NpgsqlCommand($"SELECT finding::text FROM {S}.image_findings WHERE image_id = $1", conn, tx);
            cmd.Parameters.AddWithValue(image.ImageId);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) findings.Add(JsonSerializer.Deserialize<StoredFinding>(reader.GetString(0), Json)!);
            result.Add((image, Summarise(Guid.NewGuid(), image.ImageId, trigger, now, findings, previousIds: null)));
        }
        return result;
    }

    private static async Task WriteFindingColumnsAsync(NpgsqlBinaryImporter writer, StoredFinding f, CancellationToken cancellationToken)
    {
        await writer.WriteAsync(f.VulnerabilityId, NpgsqlDbType.Text, cancellationToken);
        await writer.WriteAsync((int)f.Severity, NpgsqlDbType.Integer, cancellationToken);
        await writer.WriteAsync(f.Kev, NpgsqlDbType.Boolean, cancellationToken);
        await writer.WriteAsync(f.FixAvailable, NpgsqlDbType.Boolean, cancellationToken);
        await writer.WriteAsync(JsonSerializer.Serialize(f, Json), NpgsqlDbType.Jsonb, cancellationToken);
    }

    private static TimeSpan Lap(Stopwatch clock)
    {
        var elapsed = clock.Elapsed;
        clock.Restart();
        return elapsed;
    }
}

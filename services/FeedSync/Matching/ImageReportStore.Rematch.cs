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
    /// <summary>Distinct packages of the affected keys that some stored image holds, each matched once.</summary>
    public int DistinctPackages { get; set; }

    /// <summary>(package, vulnerability) pairs whose finding appeared, disappeared or changed.</summary>
    public int ChangedFindings { get; set; }

    /// <summary>Stored finding rows deleted and inserted.</summary>
    public int RowsRemoved { get; set; }

    public int RowsAdded { get; set; }

    public TimeSpan Gather { get; set; }
    public TimeSpan Match { get; set; }
    public TimeSpan Diff { get; set; }
    public TimeSpan Apply { get; set; }
    public TimeSpan Reports { get; set; }

    public override string ToString() =>
        $"{DistinctPackages} distinct packages, {ChangedFindings} changed findings, -{RowsRemoved}/+{RowsAdded} rows; " +
        $"gather {Gather.TotalSeconds:F2}s, match {Match.TotalSeconds:F2}s, diff {Diff.TotalSeconds:F2}s, apply {Apply.TotalSeconds:F2}s, reports {Reports.TotalSeconds:F2}s";
}

public sealed record RematchOutcome(IReadOnlyList<(StoredImage Image, ReportHeader Report)> Changed, RematchStatistics Statistics);

public sealed partial class ImageReportStore
{
    /// <summary>
    /// Re-matches the stored packages with one of <paramref name="keys"/> (null: every package) in one transaction, set-based:
    /// <list type="number">
    /// <item>the distinct packages of those keys are read from <c>packages</c> (tens of rows, however many images hold
    /// them), each with one representative inventory row (an orphan package, held by no image, is left out);</item>
    /// <item>each distinct package is matched ONCE (10,000 images holding the same libc6 are one match, not 10,000);</item>
    /// <item>the new findings of each package are compared with its representative's stored findings, leaving out the
    /// layer (the only part of a stored finding that is not a function of the package), giving the (package,
    /// vulnerability) pairs that changed;</item>
    /// <item>only those pairs are deleted and re-inserted, for the inventory rows of the changed packages (each with its
    /// own layer);</item>
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
            CREATE TEMP TABLE held ON COMMIT DROP AS
            SELECT k.package_id, k.package, r.image_id, r.ordinal FROM {S}.packages k
            CROSS JOIN LATERAL (SELECT q.image_id, q.ordinal FROM {S}.image_packages q WHERE q.package_id = k.package_id LIMIT 1) r
            WHERE k.package_key IS NOT NULL AND ($1::text[] IS NULL OR k.package_key = ANY($1))
            """, conn, tx))
        {
            // One statement: a command with positional parameters cannot carry several.
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)keys?.ToArray() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var cmd = new NpgsqlCommand("""
            ANALYZE held;
            CREATE TEMP TABLE found (package_id bigint, vulnerability_id text, severity integer, kev boolean, fixable boolean, finding jsonb) ON COMMIT DROP;
            SELECT package_id, package::text FROM held
            """, conn, tx))
        {
            var held = new List<(long PackageId, string Package)>();
            await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                    held.Add((reader.GetInt64(0), reader.GetString(1)));
            }
            stats.DistinctPackages = held.Count;
            stats.Gather = Lap(clock);

            // The layer is added per inventory row when the finding is stored.
            var rows = held.AsParallel().WithCancellation(cancellationToken)
                .Select(h => (h.PackageId, Findings: match(JsonSerializer.Deserialize(h.Package, AnalysisJsonContext.Default.Package)!)
                    .Select(f => StoredFinding.From(f, 0, null)).DistinctBy(f => f.VulnerabilityId, StringComparer.Ordinal).ToList()))
                .ToList();
            await using var writer = await conn.BeginBinaryImportAsync("COPY found (package_id, vulnerability_id, severity, kev, fixable, finding) FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var (packageId, findings) in rows)
            {
                foreach (var f in findings)
                {
                    await writer.StartRowAsync(cancellationToken);
                    await writer.WriteAsync(packageId, NpgsqlDbType.Bigint, cancellationToken);
                    await WriteFindingColumnsAsync(writer, f, cancellationToken);
                }
            }
            await writer.CompleteAsync(cancellationToken);
            stats.Match = Lap(clock);
        }

        // The (package, vulnerability) pairs whose stored finding, without its layer, differs from the new one, judged on
        // each package's representative.
        await using (var cmd = new NpgsqlCommand($"""
            ANALYZE found;
            CREATE TEMP TABLE delta ON COMMIT DROP AS
            SELECT COALESCE(n.package_id, o.package_id) AS package_id, COALESCE(n.vulnerability_id, o.vulnerability_id) AS vulnerability_id
            FROM found n FULL JOIN (SELECT h.package_id, f.vulnerability_id, f.finding FROM held h
                JOIN {S}.image_findings f ON f.image_id = h.image_id AND f.ordinal = h.ordinal) o
              ON o.package_id = n.package_id AND o.vulnerability_id = n.vulnerability_id
            WHERE n.finding - ARRAY['layerIndex', 'layerDigest'] IS DISTINCT FROM o.finding - ARRAY['layerIndex', 'layerDigest'];
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
            SELECT p.image_id, p.ordinal, p.package_id, p.layer_index, p.layer_digest FROM {S}.image_packages p
            JOIN {S}.images i ON i.image_id = p.image_id AND i.succeeded
            WHERE p.package_id IN (SELECT package_id FROM delta);
            -- Temporary tables have no statistics until analysed: without them the planner may scan image_findings whole.
            ANALYZE touched;
            CREATE TEMP TABLE removed (image_id uuid, vulnerability_id text, severity integer, kev boolean, fixable boolean) ON COMMIT DROP;
            CREATE TEMP TABLE added (image_id uuid, vulnerability_id text, severity integer, kev boolean, fixable boolean) ON COMMIT DROP;
            WITH d AS (DELETE FROM {S}.image_findings f USING touched t, delta x
                WHERE x.package_id = t.package_id AND f.image_id = t.image_id AND f.ordinal = t.ordinal AND f.vulnerability_id = x.vulnerability_id
                RETURNING f.image_id, f.vulnerability_id, f.severity, f.kev, f.fixable)
            INSERT INTO removed SELECT * FROM d;
            WITH a AS (INSERT INTO {S}.image_findings (image_id, ordinal, vulnerability_id, severity, kev, fixable, finding)
                SELECT t.image_id, t.ordinal, n.vulnerability_id, n.severity, n.kev, n.fixable,
                    n.finding || jsonb_build_object('layerIndex', t.layer_index, 'layerDigest', t.layer_digest)
                FROM touched t JOIN delta x ON x.package_id = t.package_id JOIN found n ON n.package_id = x.package_id AND n.vulnerability_id = x.vulnerability_id
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

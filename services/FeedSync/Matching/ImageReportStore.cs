using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SupplyChainMesh.Analysis.Layers;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Packages;
using SupplyChainMesh.Contracts;
using SupplyChainMesh.FeedSync.Infrastructure;

namespace SupplyChainMesh.FeedSync.Matching;

public sealed record StoredImage(Guid ImageId, string Registry, string Repository, string Digest, IReadOnlyList<string> Tags, string AnalyzerVersion,
    bool Succeeded, string? FailureReason, string? Distribution, Guid? LatestReportId, DateTimeOffset UpdatedAt)
{
    public ImageIdentity Identity(string? tag) => new(Registry, Repository, tag, Digest);

    public string? FirstTag => Tags.Count > 0 ? Tags[0] : null;
}

public sealed record ReportHeader(Guid ReportId, Guid ImageId, string Trigger, DateTimeOffset CreatedAt, SeverityCounts Counts, int KevCount, int FixableCount,
    IReadOnlyList<string> VulnerabilityIds, IReadOnlyList<string> NewIds);

/// <summary>One package of a stored inventory, with its position (the key of its findings).</summary>
public sealed record StoredPackage(Guid ImageId, int Ordinal, Package Package, int LayerIndex, string LayerDigest);

/// <summary>A finding of the package at <see cref="Ordinal"/>.</summary>
public sealed record OrdinalFinding(int Ordinal, StoredFinding Finding);

/// <summary>
/// The matched images in schema <c>feeds</c> (plain Npgsql with binary COPY: an inventory is hundreds of rows and a
/// re-match touches thousands of images). Scan results are keyed by the image (registry, repository, digest) and a
/// deterministic report id, so a redelivered <c>ImageScanned</c> changes nothing.
/// </summary>
public sealed partial class ImageReportStore(NpgsqlDataSource dataSource)
{
    private const string S = FeedDbContext.Schema;
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private const string ImageColumns = "image_id, registry, repository, digest, tags, analyzer_version, succeeded, failure_reason, distribution, latest_report_id, updated_at";
    private const string ReportColumns = "report_id, image_id, trigger, created_at, critical, high, medium, low, negligible, unknown, kev, fixable, vulnerability_ids, new_ids";

    public async Task<StoredImage?> FindImageAsync(Guid imageId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {ImageColumns} FROM {S}.images WHERE image_id = $1");
        cmd.Parameters.AddWithValue(imageId);
        var found = await ReadImagesAsync(cmd, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }

    public async Task<IReadOnlyList<StoredImage>> FindImagesAsync(string? repository, string? digest, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {ImageColumns} FROM {S}.images WHERE ($1::text IS NULL OR repository = $1) AND ($2::text IS NULL OR digest = $2) ORDER BY updated_at DESC LIMIT 500");
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)repository ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)digest ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return await ReadImagesAsync(cmd, cancellationToken);
    }

    /// <summary>Remembers a tag the image is known under (every tag gets its own ImageAssessed after a feed change).</summary>
    public async Task AddTagAsync(Guid imageId, string tag, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"UPDATE {S}.images SET tags = array_append(tags, $2) WHERE image_id = $1 AND NOT ($2 = ANY(tags))");
        cmd.Parameters.AddWithValue(imageId);
        cmd.Parameters.AddWithValue(tag);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Records a failed scan; an image that was matched before keeps its inventory and report.</summary>
    public async Task RecordFailureAsync(ImageScanned scan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scan);
        await using var cmd = dataSource.CreateCommand($"""
            INSERT INTO {S}.images AS i ({ImageColumns}) VALUES ($1, $2, $3, $4, $5, $6, false, $7, NULL, NULL, $8)
            ON CONFLICT (image_id) DO UPDATE SET failure_reason = excluded.failure_reason, updated_at = excluded.updated_at,
                tags = ARRAY(SELECT DISTINCT unnest(i.tags || excluded.tags))
            WHERE NOT i.succeeded
            """);
        AddImageParameters(cmd, scan);
        cmd.Parameters.AddWithValue(scan.FailureReason ?? "the scan failed");
        cmd.Parameters.AddWithValue(DateTimeOffset.UtcNow);
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Stores a scanned image's inventory, findings and report in one transaction. The report id is deterministic:
    /// a second delivery finds it and returns the stored report unchanged.</summary>
    public async Task<ReportHeader> SaveScanAsync(ImageScanned scan, ImageInventory inventory, IReadOnlyList<OrdinalFinding> findings, Guid reportId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scan);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(findings);
        var imageId = scan.Image.ScanId;
        var now = DateTimeOffset.UtcNow;
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken);
        if (await ReportAsync(conn, tx, reportId, cancellationToken) is { } existing) return existing;

        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO {S}.images AS i ({ImageColumns}) VALUES ($1, $2, $3, $4, $5, $6, true, NULL, $7, NULL, $8)
            ON CONFLICT (image_id) DO UPDATE SET analyzer_version = excluded.analyzer_version, succeeded = true, failure_reason = NULL,
                distribution = excluded.distribution, updated_at = excluded.updated_at, tags = ARRAY(SELECT DISTINCT unnest(i.tags || excluded.tags))
            """, conn, tx))
        {
            AddImageParameters(cmd, scan);
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)inventory.Distribution?.PurlQualifier ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.AddWithValue(now);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
        await DeleteImageRowsAsync(conn, tx, imageId, cancellationToken);
        await SavePackagesAsync(conn, tx, imageId, inventory, cancellationToken);
        await CopyFindingsAsync(conn, $"{S}.image_findings", findings.Select(f => (imageId, f)), cancellationToken);
        var report = Summarise(reportId, imageId, "scan", now, findings.Select(f => f.Finding), previousIds: null);
        await InsertReportsAsync(conn, tx, [report], cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return report;
    }

    public async Task<ReportHeader?> ReportAsync(Guid reportId, CancellationToken cancellationToken)
    {
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken);
        return await ReportAsync(conn, null, reportId, cancellationToken);
    }

    public async Task<IReadOnlyList<OrdinalFinding>> FindingsAsync(Guid imageId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT ordinal, finding::text FROM {S}.image_findings WHERE image_id = $1 ORDER BY ordinal, vulnerability_id");
        cmd.Parameters.AddWithValue(imageId);
        var result = new List<OrdinalFinding>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            result.Add(new OrdinalFinding(reader.GetInt32(0), JsonSerializer.Deserialize<StoredFinding>(reader.GetString(1), Json)!));
        return result;
    }

    public async Task<IReadOnlyList<StoredPackage>> PackagesAsync(Guid imageId, CancellationToken cancellationToken)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT p.image_id, p.ordinal, k.package::text, p.layer_index, p.layer_digest FROM {S}.image_packages p JOIN {S}.packages k USING (package_id) WHERE p.image_id = $1 ORDER BY p.ordinal");
        cmd.Parameters.AddWithValue(imageId);
        return await ReadPackagesAsync(cmd, cancellationToken);
    }

    /// <summary>Counts, ids and new ids of a set of findings.</summary>
    public static ReportHeader Summarise(Guid reportId, Guid imageId, string trigger, DateTimeOffset at, IEnumerable<StoredFinding> findings, IReadOnlyCollection<string>? previousIds)
    {
        var list = findings.ToList();
        int Count(Analysis.Advisories.Severity s) => list.Count(f => f.Severity == s);
        var counts = new SeverityCounts(Count(Analysis.Advisories.Severity.Critical), Count(Analysis.Advisories.Severity.High), Count(Analysis.Advisories.Severity.Medium),
            Count(Analysis.Advisories.Severity.Low), Count(Analysis.Advisories.Severity.Negligible), Count(Analysis.Advisories.Severity.Unknown));
        var ids = list.Select(f => f.VulnerabilityId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var newIds = previousIds is null ? ids : ids.Except(previousIds, StringComparer.Ordinal).ToArray();
        return new ReportHeader(reportId, imageId, trigger, at, counts, list.Count(f => f.Kev), list.Count(f => f.FixAvailable), ids, newIds);
    }

    private static void AddImageParameters(NpgsqlCommand cmd, ImageScanned scan)
    {
        cmd.Parameters.AddWithValue(scan.Image.ScanId);
        cmd.Parameters.AddWithValue(scan.Image.Registry);
        cmd.Parameters.AddWithValue(scan.Image.Repository);
        cmd.Parameters.AddWithValue(scan.Image.Digest);
        cmd.Parameters.AddWithValue(scan.Image.Tag is { } tag ? new[] { tag } : Array.Empty<string>());
        cmd.Parameters.AddWithValue(scan.AnalyzerVersion);
    }

    private static async Task DeleteImageRowsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid imageId, CancellationToken cancellationToken)
    {
        foreach (var table in new[] { "image_packages", "image_findings" })
        {
            await using var cmd = new NpgsqlCommand($"DELETE FROM {S}.{table} WHERE image_id = $1", conn, tx);
            cmd.Parameters.AddWithValue(imageId);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    // The inventory as references to the distinct packages: new packages are added (a concurrent scan adding the same one
    // is waited for by the unique index; inserting in digest order keeps two such scans from deadlocking), then each row
    // points at its package (its foreign key locks the package against collection until this transaction ends).
    private static async Task SavePackagesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid imageId, ImageInventory inventory, CancellationToken cancellationToken)
    {
        await using (var cmd = new NpgsqlCommand("CREATE TEMP TABLE incoming_packages (ordinal integer, package_key text, layer_index integer, layer_digest text, package jsonb) ON COMMIT DROP", conn, tx))
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        await using (var writer = await conn.BeginBinaryImportAsync("COPY incoming_packages (ordinal, package_key, layer_index, layer_digest, package) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < inventory.Packages.Count; i++)
            {
                var p = inventory.Packages[i];
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken);
                if (EcosystemKeys.StorageKeyOf(p.Package) is { } key) await writer.WriteAsync(key, NpgsqlDbType.Text, cancellationToken);
                else await writer.WriteNullAsync(cancellationToken);
                await writer.WriteAsync(p.LayerIndex, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(p.LayerDigest, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(JsonSerializer.Serialize(p.Package, AnalysisJsonContext.Default.Package), NpgsqlDbType.Jsonb, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }
        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO {S}.packages (package_key, package)
                SELECT package_key, package FROM (SELECT DISTINCT package_key, package FROM incoming_packages) d ORDER BY md5(package::text)
                ON CONFLICT (md5(package::text)) DO NOTHING
            """, conn, tx))
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO {S}.image_packages (image_id, ordinal, package_id, layer_index, layer_digest)
                SELECT $1, i.ordinal, k.package_id, i.layer_index, i.layer_digest FROM incoming_packages i
                JOIN {S}.packages k ON md5(k.package::text) = md5(i.package::text)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue(imageId);
            // Short only when a package was collected between the two statements (see CollectUnreferencedPackagesAsync):
            // failing rolls the scan back, and the message's retry stores the package again.
            var referenced = await cmd.ExecuteNonQueryAsync(cancellationToken);
            if (referenced != inventory.Packages.Count)
                throw new InvalidOperationException($"Image {imageId}: {inventory.Packages.Count - referenced} of its packages were collected while its inventory was stored; storing it again.");
        }
    }

    private static async Task CopyFindingsAsync(NpgsqlConnection conn, string table, IEnumerable<(Guid ImageId, OrdinalFinding Finding)> findings, CancellationToken cancellationToken)
    {
        await using var writer = await conn.BeginBinaryImportAsync($"COPY {table} (image_id, ordinal, vulnerability_id, severity, kev, fixable, finding) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var (imageId, (ordinal, f)) in findings)
        {
            await writer.StartRowAsync(cancellationToken);
            await writer.WriteAsync(imageId, NpgsqlDbType.Uuid, cancellationToken);
            await writer.WriteAsync(ordinal, NpgsqlDbType.Integer, cancellationToken);
            await WriteFindingColumnsAsync(writer, f, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }

    private static async Task InsertReportsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, List<ReportHeader> reports, CancellationToken cancellationToken)
    {
        if (reports.Count == 0) return;
        await using (var writer = await conn.BeginBinaryImportAsync($"COPY {S}.reports ({ReportColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            foreach (var r in reports)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(r.ReportId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(r.ImageId, NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(r.Trigger, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(r.CreatedAt, NpgsqlDbType.TimestampTz, cancellationToken);
                foreach (var n in new[] { r.Counts.Critical, r.Counts.High, r.Counts.Medium, r.Counts.Low, r.Counts.Negligible, r.Counts.Unknown, r.KevCount, r.FixableCount })
                    await writer.WriteAsync(n, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(r.VulnerabilityIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(r.NewIds.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }
        await using var cmd = new NpgsqlCommand($"UPDATE {S}.images i SET latest_report_id = u.report_id, updated_at = u.created_at FROM unnest($1::uuid[], $2::uuid[], $3::timestamptz[]) AS u(image_id, report_id, created_at) WHERE i.image_id = u.image_id", conn, tx);
        cmd.Parameters.AddWithValue(reports.Select(r => r.ImageId).ToArray());
        cmd.Parameters.AddWithValue(reports.Select(r => r.ReportId).ToArray());
        cmd.Parameters.AddWithValue(reports.Select(r => r.CreatedAt).ToArray());
        await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<ReportHeader?> ReportAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid reportId, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand($"SELECT {ReportColumns} FROM {S}.reports WHERE report_id = $1", conn, tx);
        cmd.Parameters.AddWithValue(reportId);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new ReportHeader(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
            new SeverityCounts(reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetInt32(9)),
            reader.GetInt32(10), reader.GetInt32(11), reader.GetFieldValue<string[]>(12), reader.GetFieldValue<string[]>(13));
    }

    private static async Task<IReadOnlyList<StoredImage>> ReadImagesAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var result = new List<StoredImage>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) result.Add(ReadImage(reader));
        return result;
    }

    private static StoredImage ReadImage(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<string[]>(4), reader.GetString(5),
        reader.GetBoolean(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : reader.GetGuid(9), reader.GetFieldValue<DateTimeOffset>(10));

    private static async Task<IReadOnlyList<StoredPackage>> ReadPackagesAsync(NpgsqlCommand cmd, CancellationToken cancellationToken)
    {
        var result = new List<StoredPackage>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var package = JsonSerializer.Deserialize(reader.GetString(2), AnalysisJsonContext.Default.Package)!;
            result.Add(new StoredPackage(reader.GetGuid(0), reader.GetInt32(1), package, reader.GetInt32(3), reader.GetString(4)));
        }
        return result;
    }
}

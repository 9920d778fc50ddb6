using System.Text;
using Npgsql;
using NpgsqlTypes;
using SupplyChainMesh.Analysis.Advisories;
using SupplyChainMesh.Analysis.Epss;
using SupplyChainMesh.Analysis.Kev;
using SupplyChainMesh.Analysis.Matching;
using SupplyChainMesh.Analysis.Versions;

namespace SupplyChainMesh.Persistence.Feeds;

/// <summary>
/// Vulnerability records in PostgreSQL, keyed by (feed, id), with a content hash, the normalised record (JSON) and the
/// package keys each affects (also in an index table). An import is one transaction per batch: the records go to a
/// temporary table by binary COPY, then one <c>INSERT … ON CONFLICT DO UPDATE … WHERE hash differs</c> writes only what
/// changed, with the batch's watermark and problems. A re-import of unchanged data writes nothing; a batch that fails
/// part-way leaves nothing behind.
/// </summary>
public sealed class FeedStore(NpgsqlDataSource dataSource, string schema = "feeds")
{
    private string T(string table) => $"\"{schema}\".{table}";

    /// <summary>A data source for the store: a whole feed file is one statement's work (30,000 records, 60 MB of JSON),
    /// which can outlast Npgsql's default 30 s command timeout on a loaded machine.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 600 });

    /// <summary>Creates the tables when missing (tests; services create them in their migration).</summary>
    public async Task EnsureSchemaAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand(FeedStoreSchema.Create(schema));
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The watermark of the feed's last committed import, or null.</summary>
    public async Task<string?> WatermarkAsync(string feed, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT watermark FROM {T("feed_watermarks")} WHERE feed = $1");
        cmd.Parameters.AddWithValue(feed);
        return await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    /// <summary>The raw-line hashes of a feed's stored records (one streamed read): hash -> (id, modified).</summary>
    public async Task<Dictionary<byte[], (string Id, DateTimeOffset? Modified)>> RawHashesAsync(string feed, CancellationToken cancellationToken = default)
    {
        var result = new Dictionary<byte[], (string, DateTimeOffset?)>(RawHashComparer.Instance);
        await using var cmd = dataSource.CreateCommand($"SELECT raw_hash, id, modified FROM {T("advisories")} WHERE feed = $1 AND raw_hash IS NOT NULL AND NOT withdrawn");
        cmd.Parameters.AddWithValue(feed);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            result[reader.GetFieldValue<byte[]>(0)] = (reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2));
        return result;
    }

    /// <summary>Imports one batch of advisories in one transaction. Records sharing an id within the batch are merged
    /// (Alpine lists a CVE once per package).</summary>
    public Task<FeedImportResult> ImportAsync(FeedBatch batch, IEnumerable<Advisory> records, IReadOnlyList<FeedProblem> problems, CancellationToken cancellationToken = default) =>
        ImportAsync(batch, records, problems, raw: null, cancellationToken);

    /// <summary>Imports one batch of which only the changed lines were parsed: <paramref name="raw"/> names the records
    /// whose raw line was unchanged (present, not written) and the raw hash of each parsed record.</summary>
    public async Task<FeedImportResult> ImportAsync(FeedBatch batch, IEnumerable<Advisory> records, IReadOnlyList<FeedProblem> problems, RawRecords? raw, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(problems);
        var merged = MergeById(records);
        var unchangedIds = raw?.UnchangedIds ?? new HashSet<string>(StringComparer.Ordinal);
        if (merged.Count == 0 && unchangedIds.Count == 0 && problems.Count > 0)
            throw new FeedImportException($"{batch.Feed}: no record could be read ({problems.Count} problems, first: {problems[0]}); nothing imported.");

        var rows = new List<Row>(merged.Count);
        DateTimeOffset? newest = null;
        foreach (var advisory in merged)
        {
            var json = AdvisoryJson.Serialize(advisory);
            var keys = advisory.Affected.Select(a => EcosystemKeys.StorageKey(a.Ecosystem, a.Name)).Distinct(StringComparer.Ordinal).ToArray();
            rows.Add(new Row(advisory.Id, AdvisoryJson.Hash(json), advisory.Modified?.ToUniversalTime(), advisory.IsWithdrawn, keys, json,
                raw?.RawHashes.GetValueOrDefault(advisory.Id)));
            if (advisory.Modified is { } m && (newest is null || m > newest)) newest = m;
        }
        if (raw?.NewestUnchanged is { } n && (newest is null || n > newest)) newest = n;
        var total = rows.Count + unchangedIds.Count;

        var now = DateTimeOffset.UtcNow;
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Hashes are compared here first: an unchanged record is not even sent (a re-import moves ids and hashes only).
        var existing = new Dictionary<string, (byte[] Hash, bool Withdrawn, byte[]? RawHash)>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand($"SELECT id, hash, withdrawn, raw_hash FROM {T("advisories")} WHERE feed = $1", conn, tx))
        {
            cmd.Parameters.AddWithValue(batch.Feed);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                existing[reader.GetString(0)] = (reader.GetFieldValue<byte[]>(1), reader.GetBoolean(2), reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3));
        }
        var toWrite = rows.Where(r => !existing.TryGetValue(r.Id, out var e) || !e.Hash.AsSpan().SequenceEqual(r.Hash)).ToList();
        // Same record, other raw line (or none stored yet): only the raw hash is written, so the next re-import skips it.
        var rawOnly = rows.Where(r => existing.TryGetValue(r.Id, out var e) && e.Hash.AsSpan().SequenceEqual(r.Hash)
            && !RawHashComparer.Instance.Equals(e.RawHash, r.RawHash)).ToList();
        var incomingIds = rows.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
        incomingIds.UnionWith(unchangedIds);
        var gone = batch.Snapshot && incomingIds.Count > 0
            ? existing.Where(e => !e.Value.Withdrawn && !incomingIds.Contains(e.Key)).Select(e => e.Key).ToArray()
            : [];
        if (rawOnly.Count > 0)
        {
            await using var cmd = new NpgsqlCommand($"UPDATE {T("advisories")} a SET raw_hash = u.raw_hash FROM unnest($2::text[], $3::bytea[]) AS u(id, raw_hash) WHERE a.feed = $1 AND a.id = u.id", conn, tx);
            cmd.Parameters.AddWithValue(batch.Feed);
            cmd.Parameters.AddWithValue(rawOnly.Select(r => r.Id).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter { Value = rawOnly.Select(r => (object?)r.RawHash ?? DBNull.Value).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (toWrite.Count == 0 && gone.Length == 0)
        {
            // Nothing changed (a forced re-import of the same data): only the watermark and problems are recorded.
            await RecordAsync(conn, tx, batch, total, problems, newest, now, cancellationToken).ConfigureAwait(false);
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new FeedImportResult
            {
                Source = batch.Source,
                Feed = batch.Feed,
                Records = total,
                Unchanged = total,
                Malformed = problems.Count,
                NewestRecord = newest,
            };
        }

        await ExecuteAsync(conn, tx, "CREATE TEMP TABLE incoming (id text, hash bytea, modified timestamptz, withdrawn boolean, package_keys text[], record jsonb, raw_hash bytea) ON COMMIT DROP", cancellationToken).ConfigureAwait(false);
        await using (var writer = await conn.BeginBinaryImportAsync("COPY incoming (id, hash, modified, withdrawn, package_keys, record, raw_hash) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false))
        {
            foreach (var row in toWrite)
            {
                await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.Id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.Hash, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                if (row.Modified is { } modified) await writer.WriteAsync(modified, NpgsqlDbType.TimestampTz, cancellationToken).ConfigureAwait(false);
                else await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.Withdrawn, NpgsqlDbType.Boolean, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(row.Keys, NpgsqlDbType.Array | NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
                await writer.WriteAsync(Encoding.UTF8.GetString(row.Json), NpgsqlDbType.Jsonb, cancellationToken).ConfigureAwait(false);
                if (row.RawHash is { } rawHash) await writer.WriteAsync(rawHash, NpgsqlDbType.Bytea, cancellationToken).ConfigureAwait(false);
                else await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            }
            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }

        var affected = new HashSet<string>(StringComparer.Ordinal);
        var wasWithdrawn = new Dictionary<string, bool>(StringComparer.Ordinal);
        // The keys a changing record affected before the change: a package it no longer names must be re-matched too.
        await using (var cmd = new NpgsqlCommand($"SELECT a.id, a.package_keys, a.withdrawn FROM {T("advisories")} a JOIN incoming i ON a.feed = $1 AND a.id = i.id WHERE a.hash <> i.hash", conn, tx))
        {
            cmd.Parameters.AddWithValue(batch.Feed);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                affected.UnionWith(reader.GetFieldValue<string[]>(1));
                wasWithdrawn[reader.GetString(0)] = reader.GetBoolean(2);
            }
        }

        int added = 0, changed = 0, withdrawn = 0;
        var changedIds = new List<string>();
        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO {T("advisories")} AS a (feed, id, source, hash, modified, withdrawn, package_keys, record, imported_at, raw_hash)
            SELECT $1, id, $2, hash, modified, withdrawn, package_keys, record, $3, raw_hash FROM incoming
            ON CONFLICT (feed, id) DO UPDATE SET source = excluded.source, hash = excluded.hash, modified = excluded.modified,
                withdrawn = excluded.withdrawn, package_keys = excluded.package_keys, record = excluded.record, imported_at = excluded.imported_at,
                raw_hash = excluded.raw_hash
            WHERE a.hash <> excluded.hash
            RETURNING id, (xmax = 0) AS inserted, withdrawn, package_keys
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue(batch.Feed);
            cmd.Parameters.AddWithValue(batch.Source);
            cmd.Parameters.AddWithValue(now);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                var inserted = reader.GetBoolean(1);
                var isWithdrawn = reader.GetBoolean(2);
                changedIds.Add(id);
                affected.UnionWith(reader.GetFieldValue<string[]>(3));
                if (inserted) added++;
                else changed++;
                if (isWithdrawn && !(wasWithdrawn.TryGetValue(id, out var before) && before) && !inserted) withdrawn++;
            }
        }

        if (gone.Length > 0)
        {
            // Gone from the whole feed: withdrawn upstream. The empty hash makes a reappearance a change.
            await using var cmd = new NpgsqlCommand($"""
                UPDATE {T("advisories")} a SET withdrawn = true, hash = '\x'::bytea, imported_at = $2
                WHERE a.feed = $1 AND a.id = ANY($3)
                RETURNING a.id, a.package_keys
                """, conn, tx);
            cmd.Parameters.AddWithValue(batch.Feed);
            cmd.Parameters.AddWithValue(now);
            cmd.Parameters.AddWithValue(gone);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                changedIds.Add(reader.GetString(0));
                affected.UnionWith(reader.GetFieldValue<string[]>(1));
                withdrawn++;
            }
        }

        if (changedIds.Count > 0)
        {
            await using var delete = new NpgsqlCommand($"DELETE FROM {T("advisory_packages")} WHERE feed = $1 AND id = ANY($2)", conn, tx);
            delete.Parameters.AddWithValue(batch.Feed);
            delete.Parameters.AddWithValue(changedIds.ToArray());
            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO {T("advisory_packages")} (package_key, feed, id)
                SELECT DISTINCT k, $1, a.id FROM {T("advisories")} a, unnest(a.package_keys) k WHERE a.feed = $1 AND a.id = ANY($2)
                """, conn, tx);
            insert.Parameters.AddWithValue(batch.Feed);
            insert.Parameters.AddWithValue(changedIds.ToArray());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await RecordAsync(conn, tx, batch, total, problems, newest, now, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new FeedImportResult
        {
            Source = batch.Source,
            Feed = batch.Feed,
            Records = total,
            Added = added,
            Changed = changed,
            Withdrawn = withdrawn,
            Unchanged = total - added - changed,
            Malformed = problems.Count,
            NewestRecord = newest,
            AffectedKeys = affected,
            ChangedIds = changedIds,
        };
    }

    /// <summary>Imports a whole-document enrichment (KEV catalogue, EPSS CSV) as it was downloaded.</summary>
    public async Task<FeedImportResult> ImportDocumentAsync(FeedBatch batch, FeedFormat format, byte[] content, int records, IReadOnlyList<FeedProblem> problems, DateTimeOffset? newest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(problems);
        var hash = AdvisoryJson.Hash(content);
        var now = DateTimeOffset.UtcNow;
        await using var conn = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        byte[]? previous;
        await using (var cmd = new NpgsqlCommand($"SELECT content FROM {T("feed_documents")} WHERE feed = $1 AND hash <> $2", conn, tx))
        {
            cmd.Parameters.AddWithValue(batch.Feed);
            cmd.Parameters.AddWithValue(hash);
            previous = await cmd.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as byte[];
        }
        int written;
        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO {T("feed_documents")} AS d (feed, source, format, hash, content, imported_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (feed) DO UPDATE SET source = excluded.source, format = excluded.format, hash = excluded.hash,
                content = excluded.content, imported_at = excluded.imported_at
            WHERE d.hash <> excluded.hash
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue(batch.Feed);
            cmd.Parameters.AddWithValue(batch.Source);
            cmd.Parameters.AddWithValue(format.ToString());
            cmd.Parameters.AddWithValue(hash);
            cmd.Parameters.AddWithValue(content);
            cmd.Parameters.AddWithValue(now);
            written = await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        // The CVEs whose KEV listing or EPSS score changed, and the package keys of the records naming them: only the
        // images holding those packages need a re-match (an enrichment touches no other finding).
        var enriched = written > 0 ? await EnrichmentChangesAsync(format, previous, content, cancellationToken).ConfigureAwait(false) : [];
        var affected = new HashSet<string>(StringComparer.Ordinal);
        if (enriched.Length > 0)
        {
            await using var cmd = new NpgsqlCommand($"""
                SELECT DISTINCT k FROM {T("advisories")} a, unnest(a.package_keys) k
                WHERE NOT a.withdrawn AND (a.id = ANY($1) OR a.record -> 'aliases' ?| $1)
                """, conn, tx);
            cmd.Parameters.AddWithValue(enriched);
            await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) affected.Add(reader.GetString(0));
        }
        await RecordAsync(conn, tx, batch, records, problems, newest, now, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new FeedImportResult
        {
            Source = batch.Source,
            Feed = batch.Feed,
            Records = records,
            Malformed = problems.Count,
            DocumentChanged = written > 0,
            NewestRecord = newest,
            AffectedKeys = affected,
            ChangedIds = enriched,
        };
    }

    /// <summary>The CVE ids listed, unlisted or changed between two versions of a KEV catalogue or EPSS file (every id of
    /// the new one when there was none before). EPSS is compared on score and percentile, not on its daily date.</summary>
    public static async Task<string[]> EnrichmentChangesAsync(FeedFormat format, byte[]? before, byte[] after, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(after);
        var ignored = new FeedProblemList();
        async Task<Dictionary<string, object>> ReadAsync(byte[]? content)
        {
            var entries = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            if (content is null) return entries;
            using var stream = new MemoryStream(content, writable: false);
            if (format == FeedFormat.Kev)
            {
                foreach (var e in (await KevCatalog.ParseAsync(stream, ignored, cancellationToken).ConfigureAwait(false)).Entries) entries[e.CveId] = e;
            }
            else
            {
                var scores = EpssScores.Parse(stream, ignored);
                foreach (var e in scores.Entries) entries[e.CveId] = (e.Probability, e.Percentile);
            }
            return entries;
        }
        var old = await ReadAsync(before).ConfigureAwait(false);
        var current = await ReadAsync(after).ConfigureAwait(false);
        return [.. current.Where(c => !old.TryGetValue(c.Key, out var o) || !o.Equals(c.Value)).Select(c => c.Key)
            .Concat(old.Keys.Where(k => !current.ContainsKey(k)))
            .Select(id => id.ToUpperInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>Builds the matcher's index from every record that is not withdrawn, with the stored KEV and EPSS documents.</summary>
    public Task<VulnerabilityIndex> LoadIndexAsync(Func<string, IVersionScheme?> schemeForEcosystem, CancellationToken cancellationToken = default) =>
        LoadIndexAsync(schemeForEcosystem, withoutIds: null, cancellationToken);

    /// <summary>Builds the index leaving out the records with these ids (the state before they were imported: the re-match
    /// benchmark alternates between the two).</summary>
    public async Task<VulnerabilityIndex> LoadIndexAsync(Func<string, IVersionScheme?> schemeForEcosystem, IReadOnlySet<string>? withoutIds, CancellationToken cancellationToken = default)
    {
        var builder = new VulnerabilityIndexBuilder(schemeForEcosystem);
        var ignored = new FeedProblemList();
        await using (var cmd = dataSource.CreateCommand($"SELECT format, content FROM {T("feed_documents")} ORDER BY feed"))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var format = Enum.Parse<FeedFormat>(reader.GetString(0));
                using var content = new MemoryStream(reader.GetFieldValue<byte[]>(1));
                if (format == FeedFormat.Kev) builder.WithKev(await KevCatalog.ParseAsync(content, ignored, cancellationToken).ConfigureAwait(false));
                else if (format == FeedFormat.Epss) builder.WithEpss(EpssScores.Parse(content, ignored));
            }
        }
        await using (var cmd = dataSource.CreateCommand($"SELECT record::text FROM {T("advisories")} WHERE NOT withdrawn ORDER BY feed, id"))
        await using (var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (AdvisoryJson.Deserialize(reader.GetString(0)) is { } advisory && withoutIds?.Contains(advisory.Id) != true) builder.Add(advisory);
            }
        }
        return builder.Build();
    }

    /// <summary>Every stored record with this id (in any feed), or whose aliases name it.</summary>
    public async Task<IReadOnlyList<StoredAdvisory>> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT source, feed, id, withdrawn, imported_at, record::text FROM {T("advisories")}
            WHERE id = $1 OR record -> 'aliases' ? $1 ORDER BY feed LIMIT 100
            """);
        cmd.Parameters.AddWithValue(id);
        var found = new List<StoredAdvisory>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(new StoredAdvisory(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5)));
        }
        return found;
    }

    /// <summary>Counts of what the store holds per source.</summary>
    public async Task<IReadOnlyDictionary<string, FeedSourceSummary>> SummariesAsync(CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT w.source, w.records, COALESCE(a.withdrawn, 0), w.malformed, w.newest, w.imported
            FROM (SELECT source, sum(records)::int AS records, sum(malformed)::int AS malformed, max(newest_record) AS newest,
                         max(imported_at) AS imported FROM {T("feed_watermarks")} GROUP BY source) w
            LEFT JOIN (SELECT source, count(*) FILTER (WHERE withdrawn)::int AS withdrawn FROM {T("advisories")} GROUP BY source) a
                ON a.source = w.source
            """);
        var result = new Dictionary<string, FeedSourceSummary>(StringComparer.Ordinal);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var source = reader.GetString(0);
            result[source] = new FeedSourceSummary(source, reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5));
        }
        return result;
    }

    /// <summary>The records the last imports of a source's feeds skipped.</summary>
    public async Task<IReadOnlyList<StoredFeedProblem>> ProblemsAsync(string source, int limit = 1000, CancellationToken cancellationToken = default)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT feed, record_id, location, reason FROM {T("feed_problems")} WHERE source = $1 ORDER BY feed, ordinal LIMIT $2");
        cmd.Parameters.AddWithValue(source);
        cmd.Parameters.AddWithValue(limit);
        var problems = new List<StoredFeedProblem>();
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            problems.Add(new StoredFeedProblem(reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        return problems;
    }

    // The watermark and the problems of the batch, in its transaction: they commit with the records or not at all.
    private async Task RecordAsync(NpgsqlConnection conn, NpgsqlTransaction tx, FeedBatch batch, int records, IReadOnlyList<FeedProblem> problems,
        DateTimeOffset? newest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using (var cmd = new NpgsqlCommand($"""
            INSERT INTO {T("feed_watermarks")} (feed, source, watermark, records, malformed, newest_record, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT (feed) DO UPDATE SET source = excluded.source, watermark = excluded.watermark, records = excluded.records,
                malformed = excluded.malformed, newest_record = excluded.newest_record, imported_at = excluded.imported_at
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue(batch.Feed);
            cmd.Parameters.AddWithValue(batch.Source);
            cmd.Parameters.AddWithValue(batch.Watermark);
            cmd.Parameters.AddWithValue(records);
            cmd.Parameters.AddWithValue(problems.Count);
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)newest?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            cmd.Parameters.AddWithValue(now);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var cmd = new NpgsqlCommand($"DELETE FROM {T("feed_problems")} WHERE feed = $1", conn, tx))
        {
            cmd.Parameters.AddWithValue(batch.Feed);
            await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (problems.Count == 0) return;
        await using var writer = await conn.BeginBinaryImportAsync($"COPY {T("feed_problems")} (feed, ordinal, source, record_id, location, reason) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < problems.Count; i++)
        {
            await writer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(batch.Feed, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(i, NpgsqlDbType.Integer, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(batch.Source, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            if (problems[i].RecordId is { } id) await writer.WriteAsync(id, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            else await writer.WriteNullAsync(cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(problems[i].Location, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
            await writer.WriteAsync(problems[i].Reason, NpgsqlDbType.Text, cancellationToken).ConfigureAwait(false);
        }
        await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken cancellationToken)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<Advisory> MergeById(IEnumerable<Advisory> records)
    {
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        var merged = new List<Advisory>();
        foreach (var record in records)
        {
            if (!byId.TryGetValue(record.Id, out var at))
            {
                byId[record.Id] = merged.Count;
                merged.Add(record);
                continue;
            }
            var first = merged[at];
            merged[at] = first with
            {
                Aliases = [.. first.Aliases.Union(record.Aliases, StringComparer.Ordinal)],
                Affected = [.. first.Affected, .. record.Affected],
            };
        }
        return merged;
    }

    private sealed record Row(string Id, byte[] Hash, DateTimeOffset? Modified, bool Withdrawn, string[] Keys, byte[] Json, byte[]? RawHash);
}

/// <summary>What a raw-hashed import of a JSON-lines file saw besides the parsed records: the ids whose raw line was
/// unchanged (present in the feed, not parsed), the newest <c>modified</c> among them, and the raw hash of each parsed
/// record (null for a record merged from several lines: it is never skipped).</summary>
public sealed record RawRecords(IReadOnlySet<string> UnchangedIds, DateTimeOffset? NewestUnchanged, IReadOnlyDictionary<string, byte[]?> RawHashes);

/// <summary>Compares SHA-256 hashes by value.</summary>
public sealed class RawHashComparer : IEqualityComparer<byte[]>
{
    public static readonly RawHashComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => x is null ? y is null : y is not null && x.AsSpan().SequenceEqual(y);

    public int GetHashCode(byte[] obj) => obj is { Length: >= 4 } ? BitConverter.ToInt32(obj, 0) : 0;
}

/// <summary>An import that could not be applied (nothing of it was written).</summary>
public sealed class FeedImportException : Exception
{
    public FeedImportException(string message) : base(message) { }

    public FeedImportException(string message, Exception inner) : base(message, inner) { }

    public FeedImportException() { }
}

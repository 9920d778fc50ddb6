namespace SupplyChainMesh.Persistence.Feeds;

/// <summary>
/// The tables of the feed store, created by the owning service's migration (<c>migrationBuilder.Sql(FeedStoreSchema.Create(schema))</c>)
/// and by tests on a fresh database. Plain SQL because the store writes with binary COPY, not through EF.
/// </summary>
public static class FeedStoreSchema
{
    public static string Create(string schema) => $"""
        CREATE SCHEMA IF NOT EXISTS "{schema}";
        -- One row per (feed, id): the normalised record, its hash (a re-import of unchanged data compares and writes nothing)
        -- and the package keys it affects.
        CREATE TABLE IF NOT EXISTS "{schema}".advisories (
            feed text NOT NULL,
            id text NOT NULL,
            source text NOT NULL,
            hash bytea NOT NULL,
            modified timestamptz NULL,
            withdrawn boolean NOT NULL,
            package_keys text[] NOT NULL,
            record jsonb NOT NULL,
            imported_at timestamptz NOT NULL,
            PRIMARY KEY (feed, id));
        -- The SHA-256 of the raw JSON line a record was read from (null when it came from several lines or another
        -- shape): a re-import skips the parse of a line whose hash is stored.
        ALTER TABLE "{schema}".advisories ADD COLUMN IF NOT EXISTS raw_hash bytea NULL;
        CREATE INDEX IF NOT EXISTS ix_advisories_id ON "{schema}".advisories (id);
        CREATE INDEX IF NOT EXISTS ix_advisories_source ON "{schema}".advisories (source);
        -- Package key (lower-cased OSV ecosystem '|' normalised name) -> advisories.
        CREATE TABLE IF NOT EXISTS "{schema}".advisory_packages (
            package_key text NOT NULL,
            feed text NOT NULL,
            id text NOT NULL,
            PRIMARY KEY (package_key, feed, id));
        CREATE INDEX IF NOT EXISTS ix_advisory_packages_record ON "{schema}".advisory_packages (feed, id);
        -- Whole-document enrichments (CISA KEV, FIRST EPSS): the document as downloaded.
        CREATE TABLE IF NOT EXISTS "{schema}".feed_documents (
            feed text PRIMARY KEY,
            source text NOT NULL,
            format text NOT NULL,
            hash bytea NOT NULL,
            content bytea NOT NULL,
            imported_at timestamptz NOT NULL);
        -- The last committed import of each feed: what it read (the watermark: a file's sha256, an ETag, NVD's lastModified).
        CREATE TABLE IF NOT EXISTS "{schema}".feed_watermarks (
            feed text PRIMARY KEY,
            source text NOT NULL,
            watermark text NOT NULL,
            records integer NOT NULL,
            malformed integer NOT NULL,
            newest_record timestamptz NULL,
            imported_at timestamptz NOT NULL);
        -- Records the last import of a feed skipped, with why.
        CREATE TABLE IF NOT EXISTS "{schema}".feed_problems (
            feed text NOT NULL,
            ordinal integer NOT NULL,
            source text NOT NULL,
            record_id text NULL,
            location text NOT NULL,
            reason text NOT NULL,
            PRIMARY KEY (feed, ordinal));
        CREATE INDEX IF NOT EXISTS ix_feed_problems_source ON "{schema}".feed_problems (source);
        """;
}

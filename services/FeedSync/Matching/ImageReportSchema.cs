namespace SupplyChainMesh.FeedSync.Matching;

/// <summary>Tables of the matched images (created by the migrations): the distinct packages (one row per package: key,
/// name, version, distribution — the package -> image index that lets a feed change re-match only the images it
/// concerns, reading tens of rows instead of every inventory), each image's inventory as references to them, the current
/// findings, and one report row per assessment.</summary>
public static class ImageReportSchema
{
    public static string Create(string schema) => $"""
        CREATE TABLE IF NOT EXISTS "{schema}".images (
            image_id uuid PRIMARY KEY,
            registry text NOT NULL,
            repository text NOT NULL,
            digest text NOT NULL,
            tags text[] NOT NULL,
            analyzer_version text NOT NULL,
            succeeded boolean NOT NULL,
            failure_reason text NULL,
            distribution text NULL,
            latest_report_id uuid NULL,
            updated_at timestamptz NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_images_repository_digest ON "{schema}".images (repository, digest);
        {DistinctPackages(schema)}
        CREATE TABLE IF NOT EXISTS "{schema}".image_packages (
            image_id uuid NOT NULL,
            ordinal integer NOT NULL,
            package_id bigint NOT NULL,
            layer_index integer NOT NULL,
            layer_digest text NOT NULL,
            PRIMARY KEY (image_id, ordinal));
        CREATE INDEX IF NOT EXISTS ix_image_packages_package ON "{schema}".image_packages (package_id);
        CREATE TABLE IF NOT EXISTS "{schema}".image_findings (
            image_id uuid NOT NULL,
            ordinal integer NOT NULL,
            vulnerability_id text NOT NULL,
            severity integer NOT NULL,
            kev boolean NOT NULL,
            fixable boolean NOT NULL,
            finding jsonb NOT NULL,
            PRIMARY KEY (image_id, ordinal, vulnerability_id));
        CREATE TABLE IF NOT EXISTS "{schema}".reports (
            report_id uuid PRIMARY KEY,
            image_id uuid NOT NULL,
            trigger text NOT NULL,
            created_at timestamptz NOT NULL,
            critical integer NOT NULL,
            high integer NOT NULL,
            medium integer NOT NULL,
            low integer NOT NULL,
            negligible integer NOT NULL,
            unknown integer NOT NULL,
            kev integer NOT NULL,
            fixable integer NOT NULL,
            vulnerability_ids text[] NOT NULL,
            new_ids text[] NOT NULL);
        CREATE INDEX IF NOT EXISTS ix_reports_image ON "{schema}".reports (image_id, created_at DESC);
        {PackageReferences(schema)}
        """;

    /// <summary>
    /// Every inventory row's package must exist: a foreign key, so that collecting unreferenced packages
    /// (<see cref="ImageReportStore.CollectUnreferencedPackagesAsync"/>) can never leave an inventory row pointing at
    /// nothing, whatever the interleaving with a scan that is storing its inventory (PostgreSQL's referential check sees
    /// the latest committed rows, not the collecting statement's snapshot). Idempotent.
    /// </summary>
    public static string PackageReferences(string schema) => $"""
        DO $references$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 'fk_image_packages_package' AND connamespace = '{schema}'::regnamespace) THEN
                ALTER TABLE "{schema}".image_packages ADD CONSTRAINT fk_image_packages_package
                    FOREIGN KEY (package_id) REFERENCES "{schema}".packages (package_id);
            END IF;
        END $references$;
        """;

    /// <summary>
    /// Moves a store made before the distinct-packages table (each <c>image_packages</c> row held its package's JSON and
    /// key) to the current shape; a no-op on a store created by <see cref="Create"/>.
    /// </summary>
    public static string UpgradeToDistinctPackages(string schema) => $"""
        {DistinctPackages(schema)}
        DO $upgrade$ BEGIN
            IF EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = '{schema}' AND table_name = 'image_packages' AND column_name = 'package') THEN
                INSERT INTO "{schema}".packages (package_key, package) SELECT DISTINCT package_key, package FROM "{schema}".image_packages
                    ON CONFLICT (md5(package::text)) DO NOTHING;
                ALTER TABLE "{schema}".image_packages ADD COLUMN package_id bigint;
                UPDATE "{schema}".image_packages p SET package_id = k.package_id FROM "{schema}".packages k WHERE md5(k.package::text) = md5(p.package::text);
                ALTER TABLE "{schema}".image_packages ALTER COLUMN package_id SET NOT NULL, DROP COLUMN package, DROP COLUMN package_key;
            END IF;
        END $upgrade$;
        CREATE INDEX IF NOT EXISTS ix_image_packages_package ON "{schema}".image_packages (package_id);
        """;

    // One row per distinct package (its JSON: name, version, source package, distribution qualifier), found again by
    // the digest of its JSON text (jsonb's text is canonical, so equal packages have equal digests).
    private static string DistinctPackages(string schema) => $"""
        CREATE TABLE IF NOT EXISTS "{schema}".packages (
            package_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            package_key text NULL,
            package jsonb NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS ux_packages_package ON "{schema}".packages (md5(package::text));
        CREATE INDEX IF NOT EXISTS ix_packages_key ON "{schema}".packages (package_key);
        """;
}

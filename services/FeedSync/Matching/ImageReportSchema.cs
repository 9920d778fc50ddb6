namespace SupplyChainMesh.FeedSync.Matching;

/// <summary>Tables of the matched images (created by the migration): the inventory with each package's key (the
/// package -> image index that lets a feed change re-match only the images it concerns), the current findings, and one
/// report row per assessment.</summary>
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
        CREATE TABLE IF NOT EXISTS "{schema}".image_packages (
            image_id uuid NOT NULL,
            ordinal integer NOT NULL,
            package_key text NULL,
            layer_index integer NOT NULL,
            layer_digest text NOT NULL,
            package jsonb NOT NULL,
            PRIMARY KEY (image_id, ordinal));
        CREATE INDEX IF NOT EXISTS ix_image_packages_key ON "{schema}".image_packages (package_key);
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
        """;
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SupplyChainMesh.FeedSync.Matching;

#nullable disable

namespace SupplyChainMesh.FeedSync.Infrastructure.Migrations
{
    /// <summary>The distinct-packages table: each inventory row refers to its package instead of holding the package's
    /// JSON, so a feed change reads tens of distinct packages instead of every image's inventory. Plain SQL (the tables
    /// are not EF entities), so the model snapshot does not change.</summary>
    [DbContext(typeof(FeedDbContext))]
    [Migration("20261130053000_DistinctPackages")]
    public partial class DistinctPackages : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql(ImageReportSchema.UpgradeToDistinctPackages(FeedDbContext.Schema));

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            var s = FeedDbContext.Schema;
            migrationBuilder.Sql($"""
                ALTER TABLE "{s}".image_packages ADD COLUMN package_key text NULL, ADD COLUMN package jsonb NULL;
                UPDATE "{s}".image_packages p SET package_key = k.package_key, package = k.package FROM "{s}".packages k WHERE k.package_id = p.package_id;
                ALTER TABLE "{s}".image_packages ALTER COLUMN package SET NOT NULL, DROP COLUMN package_id;
                CREATE INDEX IF NOT EXISTS ix_image_packages_key ON "{s}".image_packages (package_key);
                DROP TABLE "{s}".packages;
                """);
        }
    }
}

using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SupplyChainMesh.FeedSync.Matching;

#nullable disable

namespace SupplyChainMesh.FeedSync.Infrastructure.Migrations
{
    /// <summary>A foreign key from each inventory row to its distinct package, which makes collecting the packages no
    /// inventory holds any more safe against a scan storing its inventory at the same time. Plain SQL (the tables are
    /// not EF entities), so the model snapshot does not change.</summary>
    [DbContext(typeof(FeedDbContext))]
    [Migration("20261130090000_PackageReferences")]
    public partial class PackageReferences : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql(ImageReportSchema.PackageReferences(FeedDbContext.Schema));

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder) =>
            migrationBuilder.Sql($"ALTER TABLE \"{FeedDbContext.Schema}\".image_packages DROP CONSTRAINT IF EXISTS fk_image_packages_package;");
    }
}

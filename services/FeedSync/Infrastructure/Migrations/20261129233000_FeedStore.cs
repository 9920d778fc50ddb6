using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using SupplyChainMesh.FeedSync.Matching;
using SupplyChainMesh.Persistence.Feeds;

#nullable disable

namespace SupplyChainMesh.FeedSync.Infrastructure.Migrations
{
    /// <summary>The feed store and the matched images: plain tables written with binary COPY (not EF entities), so the
    /// model snapshot does not change.</summary>
    [DbContext(typeof(FeedDbContext))]
    [Migration("20261129233000_FeedStore")]
    public partial class FeedStore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(FeedStoreSchema.Create(FeedDbContext.Schema));
            migrationBuilder.Sql(ImageReportSchema.Create(FeedDbContext.Schema));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "reports", "image_findings", "image_packages", "images", "feed_problems", "feed_watermarks", "feed_documents", "advisory_packages", "advisories" })
                migrationBuilder.Sql($"DROP TABLE IF EXISTS \"{FeedDbContext.Schema}\".{table};");
        }
    }
}

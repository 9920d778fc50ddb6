using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplyChainMesh.LayerScanner.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ScanArtifactType : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ArtifactType",
                schema: "scanner",
                table: "image_scans",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ArtifactType",
                schema: "scanner",
                table: "image_scans");
        }
    }
}

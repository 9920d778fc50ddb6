using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplyChainMesh.LayerScanner.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ScanResends : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Resends",
                schema: "scanner",
                table: "image_scans",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Resends",
                schema: "scanner",
                table: "image_scans");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplyChainMesh.Promoter.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PromotionSourceTagKept : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "SourceTagKept",
                schema: "promoter",
                table: "promotion_sagas",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "SourceTagKept",
                schema: "promoter",
                table: "promotion_sagas");
        }
    }
}

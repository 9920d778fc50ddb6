using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplyChainMesh.Promoter.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PromotionPushedBy : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PushedBy",
                schema: "promoter",
                table: "promotions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PushedBy",
                schema: "promoter",
                table: "promotion_sagas",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PushedBy",
                schema: "promoter",
                table: "promotions");

            migrationBuilder.DropColumn(
                name: "PushedBy",
                schema: "promoter",
                table: "promotion_sagas");
        }
    }
}

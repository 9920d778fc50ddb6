using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplyChainMesh.Promoter.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PromotionRedelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "CompletedBy",
                schema: "promoter",
                table: "promotion_sagas",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Generation",
                schema: "promoter",
                table: "promotion_sagas",
                type: "integer",
                nullable: false,
                defaultValue: 0);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CompletedBy",
                schema: "promoter",
                table: "promotion_sagas");

            migrationBuilder.DropColumn(
                name: "Generation",
                schema: "promoter",
                table: "promotion_sagas");
        }
    }
}

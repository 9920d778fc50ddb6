using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplyChainMesh.LayerScanner.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ScanPlatformsAndRedelivery : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "CompletedBy",
                schema: "scanner",
                table: "image_scans",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Generation",
                schema: "scanner",
                table: "image_scans",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Platforms",
                schema: "scanner",
                table: "image_scans",
                type: "jsonb",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "PushedBy",
                schema: "scanner",
                table: "image_scans",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ResolveError",
                schema: "scanner",
                table: "image_scans",
                type: "text",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CompletedBy",
                schema: "scanner",
                table: "image_scans");

            migrationBuilder.DropColumn(
                name: "Generation",
                schema: "scanner",
                table: "image_scans");

            migrationBuilder.DropColumn(
                name: "Platforms",
                schema: "scanner",
                table: "image_scans");

            migrationBuilder.DropColumn(
                name: "PushedBy",
                schema: "scanner",
                table: "image_scans");

            migrationBuilder.DropColumn(
                name: "ResolveError",
                schema: "scanner",
                table: "image_scans");
        }
    }
}

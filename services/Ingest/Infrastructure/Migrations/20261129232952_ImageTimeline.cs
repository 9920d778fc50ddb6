using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SupplyChainMesh.Ingest.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class ImageTimeline : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "image_history",
                schema: "ingest",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Registry = table.Column<string>(type: "text", nullable: false),
                    Repository = table.Column<string>(type: "text", nullable: false),
                    Digest = table.Column<string>(type: "text", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Summary = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_image_history", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "image_status",
                schema: "ingest",
                columns: table => new
                {
                    Registry = table.Column<string>(type: "text", nullable: false),
                    Repository = table.Column<string>(type: "text", nullable: false),
                    Digest = table.Column<string>(type: "text", nullable: false),
                    State = table.Column<string>(type: "text", nullable: false),
                    Tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    LayersDone = table.Column<int>(type: "integer", nullable: false),
                    LayersTotal = table.Column<int>(type: "integer", nullable: true),
                    ScanFailure = table.Column<string>(type: "text", nullable: true),
                    ReportId = table.Column<Guid>(type: "uuid", nullable: true),
                    Critical = table.Column<int>(type: "integer", nullable: true),
                    High = table.Column<int>(type: "integer", nullable: true),
                    Medium = table.Column<int>(type: "integer", nullable: true),
                    Low = table.Column<int>(type: "integer", nullable: true),
                    Negligible = table.Column<int>(type: "integer", nullable: true),
                    Unknown = table.Column<int>(type: "integer", nullable: true),
                    Kev = table.Column<int>(type: "integer", nullable: true),
                    Fixable = table.Column<int>(type: "integer", nullable: true),
                    Verdicts = table.Column<string>(type: "jsonb", nullable: false),
                    PromotedTo = table.Column<List<string>>(type: "text[]", nullable: false),
                    PromotionFailure = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_image_status", x => new { x.Registry, x.Repository, x.Digest });
                });

            migrationBuilder.CreateIndex(
                name: "IX_image_history_Registry_Repository_Digest_At",
                schema: "ingest",
                table: "image_history",
                columns: new[] { "Registry", "Repository", "Digest", "At" });

            migrationBuilder.CreateIndex(
                name: "IX_image_status_Repository_Digest",
                schema: "ingest",
                table: "image_status",
                columns: new[] { "Repository", "Digest" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "image_history",
                schema: "ingest");

            migrationBuilder.DropTable(
                name: "image_status",
                schema: "ingest");
        }
    }
}

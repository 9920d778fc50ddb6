using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplyChainMesh.LayerScanner.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "scanner");

            migrationBuilder.CreateTable(
                name: "image_scans",
                schema: "scanner",
                columns: table => new
                {
                    CorrelationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    CurrentState = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    Registry = table.Column<string>(type: "text", nullable: false),
                    Repository = table.Column<string>(type: "text", nullable: false),
                    Digest = table.Column<string>(type: "text", nullable: false),
                    MediaType = table.Column<string>(type: "text", nullable: false),
                    Tags = table.Column<List<string>>(type: "text[]", nullable: false),
                    PlatformDigest = table.Column<string>(type: "text", nullable: true),
                    Layers = table.Column<List<string>>(type: "text[]", nullable: false),
                    LayersDone = table.Column<List<string>>(type: "text[]", nullable: false),
                    AnalyzerVersion = table.Column<string>(type: "text", nullable: true),
                    FailureReason = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_image_scans", x => x.CorrelationId);
                });

            migrationBuilder.CreateTable(
                name: "layer_findings",
                schema: "scanner",
                columns: table => new
                {
                    Digest = table.Column<string>(type: "text", nullable: false),
                    AnalyzerVersion = table.Column<string>(type: "text", nullable: false),
                    Succeeded = table.Column<bool>(type: "boolean", nullable: false),
                    FailureReason = table.Column<string>(type: "text", nullable: true),
                    PackageCount = table.Column<int>(type: "integer", nullable: false),
                    CompressedBytes = table.Column<long>(type: "bigint", nullable: false),
                    UncompressedBytes = table.Column<long>(type: "bigint", nullable: false),
                    Json = table.Column<string>(type: "jsonb", nullable: true),
                    AnalyzedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Seconds = table.Column<double>(type: "double precision", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_layer_findings", x => new { x.Digest, x.AnalyzerVersion });
                });

            migrationBuilder.CreateTable(
                name: "processed_messages",
                schema: "scanner",
                columns: table => new
                {
                    Consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProcessedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_processed_messages", x => new { x.Consumer, x.MessageId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_image_scans_CurrentState",
                schema: "scanner",
                table: "image_scans",
                column: "CurrentState");

            migrationBuilder.CreateIndex(
                name: "IX_image_scans_Repository_Digest",
                schema: "scanner",
                table: "image_scans",
                columns: new[] { "Repository", "Digest" });

            migrationBuilder.CreateIndex(
                name: "IX_processed_messages_ProcessedAt",
                schema: "scanner",
                table: "processed_messages",
                column: "ProcessedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "image_scans",
                schema: "scanner");

            migrationBuilder.DropTable(
                name: "layer_findings",
                schema: "scanner");

            migrationBuilder.DropTable(
                name: "processed_messages",
                schema: "scanner");
        }
    }
}

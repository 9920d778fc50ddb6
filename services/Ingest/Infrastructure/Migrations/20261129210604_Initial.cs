using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace SupplyChainMesh.Ingest.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "ingest");

            migrationBuilder.CreateTable(
                name: "processed_messages",
                schema: "ingest",
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

            migrationBuilder.CreateTable(
                name: "pushes",
                schema: "ingest",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Registry = table.Column<string>(type: "text", nullable: false),
                    Repository = table.Column<string>(type: "text", nullable: false),
                    Tag = table.Column<string>(type: "text", nullable: false),
                    Digest = table.Column<string>(type: "text", nullable: false),
                    MediaType = table.Column<string>(type: "text", nullable: false),
                    Source = table.Column<string>(type: "text", nullable: false),
                    EventId = table.Column<string>(type: "text", nullable: false),
                    Actor = table.Column<string>(type: "text", nullable: true),
                    PushedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_pushes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "received_events",
                schema: "ingest",
                columns: table => new
                {
                    EventId = table.Column<string>(type: "text", nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_received_events", x => x.EventId);
                });

            migrationBuilder.CreateTable(
                name: "tags",
                schema: "ingest",
                columns: table => new
                {
                    Registry = table.Column<string>(type: "text", nullable: false),
                    Repository = table.Column<string>(type: "text", nullable: false),
                    Tag = table.Column<string>(type: "text", nullable: false),
                    Digest = table.Column<string>(type: "text", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tags", x => new { x.Registry, x.Repository, x.Tag });
                });

            migrationBuilder.CreateIndex(
                name: "IX_processed_messages_ProcessedAt",
                schema: "ingest",
                table: "processed_messages",
                column: "ProcessedAt");

            migrationBuilder.CreateIndex(
                name: "IX_pushes_PushedAt",
                schema: "ingest",
                table: "pushes",
                column: "PushedAt");

            migrationBuilder.CreateIndex(
                name: "IX_pushes_Registry_Repository_Digest_Tag",
                schema: "ingest",
                table: "pushes",
                columns: new[] { "Registry", "Repository", "Digest", "Tag" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tags_Digest",
                schema: "ingest",
                table: "tags",
                column: "Digest");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "processed_messages",
                schema: "ingest");

            migrationBuilder.DropTable(
                name: "pushes",
                schema: "ingest");

            migrationBuilder.DropTable(
                name: "received_events",
                schema: "ingest");

            migrationBuilder.DropTable(
                name: "tags",
                schema: "ingest");
        }
    }
}

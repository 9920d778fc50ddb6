using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplyChainMesh.Promoter.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "promoter");

            migrationBuilder.CreateTable(
                name: "processed_messages",
                schema: "promoter",
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
                name: "promotions",
                schema: "promoter",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    PolicyId = table.Column<Guid>(type: "uuid", nullable: false),
                    PolicyName = table.Column<string>(type: "text", nullable: false),
                    SourceRegistry = table.Column<string>(type: "text", nullable: false),
                    SourceRepository = table.Column<string>(type: "text", nullable: false),
                    SourceTag = table.Column<string>(type: "text", nullable: true),
                    Digest = table.Column<string>(type: "text", nullable: false),
                    TargetRegistry = table.Column<string>(type: "text", nullable: false),
                    TargetRepository = table.Column<string>(type: "text", nullable: false),
                    TargetTag = table.Column<string>(type: "text", nullable: false),
                    Action = table.Column<string>(type: "text", nullable: false),
                    Outcome = table.Column<string>(type: "text", nullable: false),
                    Reason = table.Column<string>(type: "text", nullable: true),
                    Actor = table.Column<string>(type: "text", nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promotions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_processed_messages_ProcessedAt",
                schema: "promoter",
                table: "processed_messages",
                column: "ProcessedAt");

            migrationBuilder.CreateIndex(
                name: "IX_promotions_At",
                schema: "promoter",
                table: "promotions",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_promotions_SourceRepository_Digest",
                schema: "promoter",
                table: "promotions",
                columns: new[] { "SourceRepository", "Digest" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "processed_messages",
                schema: "promoter");

            migrationBuilder.DropTable(
                name: "promotions",
                schema: "promoter");
        }
    }
}

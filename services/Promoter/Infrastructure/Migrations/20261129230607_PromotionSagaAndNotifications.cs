using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplyChainMesh.Promoter.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PromotionSagaAndNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Attempts",
                schema: "promoter",
                table: "promotions",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<string>(
                name: "Detail",
                schema: "promoter",
                table: "promotions",
                type: "text",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "PromotionId",
                schema: "promoter",
                table: "promotions",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateTable(
                name: "notification_deliveries",
                schema: "promoter",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    EventId = table.Column<Guid>(type: "uuid", nullable: false),
                    SubscriptionId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "text", nullable: false),
                    Payload = table.Column<string>(type: "jsonb", nullable: false),
                    Status = table.Column<string>(type: "text", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NextAttemptAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    LastStatusCode = table.Column<int>(type: "integer", nullable: true),
                    LastError = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    DeliveredAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_notification_deliveries", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "promotion_sagas",
                schema: "promoter",
                columns: table => new
                {
                    CorrelationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false),
                    CurrentState = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
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
                    Fingerprint = table.Column<string>(type: "text", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    FailureReason = table.Column<string>(type: "text", nullable: true),
                    Detail = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    CompletedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_promotion_sagas", x => x.CorrelationId);
                });

            migrationBuilder.CreateTable(
                name: "subscriptions",
                schema: "promoter",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Url = table.Column<string>(type: "text", nullable: false),
                    Secret = table.Column<string>(type: "text", nullable: false),
                    Events = table.Column<List<string>>(type: "text[]", nullable: false),
                    Description = table.Column<string>(type: "text", nullable: true),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_subscriptions", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_promotions_PromotionId",
                schema: "promoter",
                table: "promotions",
                column: "PromotionId");

            migrationBuilder.CreateIndex(
                name: "IX_promotions_TargetRepository",
                schema: "promoter",
                table: "promotions",
                column: "TargetRepository");

            migrationBuilder.CreateIndex(
                name: "IX_notification_deliveries_Status_NextAttemptAt",
                schema: "promoter",
                table: "notification_deliveries",
                columns: new[] { "Status", "NextAttemptAt" });

            migrationBuilder.CreateIndex(
                name: "IX_notification_deliveries_SubscriptionId_EventId",
                schema: "promoter",
                table: "notification_deliveries",
                columns: new[] { "SubscriptionId", "EventId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_promotion_sagas_SourceRepository_Digest",
                schema: "promoter",
                table: "promotion_sagas",
                columns: new[] { "SourceRepository", "Digest" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "notification_deliveries",
                schema: "promoter");

            migrationBuilder.DropTable(
                name: "promotion_sagas",
                schema: "promoter");

            migrationBuilder.DropTable(
                name: "subscriptions",
                schema: "promoter");

            migrationBuilder.DropIndex(
                name: "IX_promotions_PromotionId",
                schema: "promoter",
                table: "promotions");

            migrationBuilder.DropIndex(
                name: "IX_promotions_TargetRepository",
                schema: "promoter",
                table: "promotions");

            migrationBuilder.DropColumn(
                name: "Attempts",
                schema: "promoter",
                table: "promotions");

            migrationBuilder.DropColumn(
                name: "Detail",
                schema: "promoter",
                table: "promotions");

            migrationBuilder.DropColumn(
                name: "PromotionId",
                schema: "promoter",
                table: "promotions");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SupplyChainMesh.PolicyEngine.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class VerdictsExceptionsVexAdmission : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Version",
                schema: "policy",
                table: "policies",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "admission_rules",
                schema: "policy",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Name = table.Column<string>(type: "text", nullable: false),
                    Document = table.Column<string>(type: "jsonb", nullable: false),
                    UpdatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Version = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_admission_rules", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "exceptions",
                schema: "policy",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    Scope = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Target = table.Column<string>(type: "text", nullable: true),
                    VulnerabilityId = table.Column<string>(type: "text", nullable: false),
                    PackagePurl = table.Column<string>(type: "text", nullable: true),
                    Reason = table.Column<string>(type: "text", nullable: false),
                    CreatedBy = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ExpiresAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_exceptions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "images",
                schema: "policy",
                columns: table => new
                {
                    Registry = table.Column<string>(type: "text", nullable: false),
                    Repository = table.Column<string>(type: "text", nullable: false),
                    Digest = table.Column<string>(type: "text", nullable: false),
                    Tag = table.Column<string>(type: "text", nullable: false),
                    ReportId = table.Column<Guid>(type: "uuid", nullable: false),
                    SatisfiedPolicies = table.Column<string[]>(type: "text[]", nullable: false),
                    FindingCounts = table.Column<int[]>(type: "integer[]", nullable: false),
                    KevFindings = table.Column<string[]>(type: "text[]", nullable: false),
                    EvaluatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_images", x => new { x.Registry, x.Repository, x.Digest, x.Tag });
                });

            migrationBuilder.CreateTable(
                name: "verdicts",
                schema: "policy",
                columns: table => new
                {
                    PolicyId = table.Column<Guid>(type: "uuid", nullable: false),
                    Registry = table.Column<string>(type: "text", nullable: false),
                    Repository = table.Column<string>(type: "text", nullable: false),
                    Digest = table.Column<string>(type: "text", nullable: false),
                    Tag = table.Column<string>(type: "text", nullable: false),
                    PolicyName = table.Column<string>(type: "text", nullable: false),
                    Outcome = table.Column<string>(type: "text", nullable: false),
                    Fingerprint = table.Column<string>(type: "text", nullable: false),
                    TargetRepository = table.Column<string>(type: "text", nullable: true),
                    TargetTag = table.Column<string>(type: "text", nullable: true),
                    Document = table.Column<string>(type: "jsonb", nullable: false),
                    ReportId = table.Column<Guid>(type: "uuid", nullable: false),
                    EvaluatedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_verdicts", x => new { x.PolicyId, x.Registry, x.Repository, x.Digest, x.Tag });
                });

            migrationBuilder.CreateTable(
                name: "vex_documents",
                schema: "policy",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    DocumentId = table.Column<string>(type: "text", nullable: true),
                    Format = table.Column<string>(type: "text", nullable: false),
                    StatementCount = table.Column<int>(type: "integer", nullable: false),
                    Source = table.Column<string>(type: "text", nullable: false),
                    Document = table.Column<string>(type: "text", nullable: false),
                    UploadedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    UploadedBy = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_vex_documents", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_admission_rules_Name",
                schema: "policy",
                table: "admission_rules",
                column: "Name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_exceptions_VulnerabilityId",
                schema: "policy",
                table: "exceptions",
                column: "VulnerabilityId");

            migrationBuilder.CreateIndex(
                name: "IX_images_Digest",
                schema: "policy",
                table: "images",
                column: "Digest");

            migrationBuilder.CreateIndex(
                name: "IX_images_Registry_Repository_Tag_EvaluatedAt",
                schema: "policy",
                table: "images",
                columns: new[] { "Registry", "Repository", "Tag", "EvaluatedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_verdicts_Digest",
                schema: "policy",
                table: "verdicts",
                column: "Digest");

            migrationBuilder.CreateIndex(
                name: "IX_verdicts_Repository_Digest",
                schema: "policy",
                table: "verdicts",
                columns: new[] { "Repository", "Digest" });

            migrationBuilder.CreateIndex(
                name: "IX_vex_documents_Source",
                schema: "policy",
                table: "vex_documents",
                column: "Source");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "admission_rules",
                schema: "policy");

            migrationBuilder.DropTable(
                name: "exceptions",
                schema: "policy");

            migrationBuilder.DropTable(
                name: "images",
                schema: "policy");

            migrationBuilder.DropTable(
                name: "verdicts",
                schema: "policy");

            migrationBuilder.DropTable(
                name: "vex_documents",
                schema: "policy");

            migrationBuilder.DropColumn(
                name: "Version",
                schema: "policy",
                table: "policies");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AuditChangeSets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "change_set_id",
                table: "audit_entries",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<int>(
                name: "company_id",
                table: "audit_entries",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "summary",
                table: "audit_entries",
                type: "character varying(300)",
                maxLength: 300,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_change_set_id",
                table: "audit_entries",
                column: "change_set_id");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_company_id_at",
                table: "audit_entries",
                columns: new[] { "company_id", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_reverts_entry_id",
                table: "audit_entries",
                column: "reverts_entry_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_entries_change_set_id",
                table: "audit_entries");

            migrationBuilder.DropIndex(
                name: "ix_audit_entries_company_id_at",
                table: "audit_entries");

            migrationBuilder.DropIndex(
                name: "ix_audit_entries_reverts_entry_id",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "change_set_id",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "company_id",
                table: "audit_entries");

            migrationBuilder.DropColumn(
                name: "summary",
                table: "audit_entries");
        }
    }
}

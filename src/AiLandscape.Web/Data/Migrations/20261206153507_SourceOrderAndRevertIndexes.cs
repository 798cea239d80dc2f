using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SourceOrderAndRevertIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_audit_entries_reverts_entry_id",
                table: "audit_entries");

            migrationBuilder.CreateIndex(
                name: "ix_sources_published_on_id",
                table: "sources",
                columns: new[] { "published_on", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_reverts_entry_id",
                table: "audit_entries",
                column: "reverts_entry_id",
                filter: "reverts_entry_id IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sources_published_on_id",
                table: "sources");

            migrationBuilder.DropIndex(
                name: "ix_audit_entries_reverts_entry_id",
                table: "audit_entries");

            migrationBuilder.CreateIndex(
                name: "ix_audit_entries_reverts_entry_id",
                table: "audit_entries",
                column: "reverts_entry_id");
        }
    }
}

using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Provenance : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "dispute_resolutions",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    record_type = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    record_id = table.Column<int>(type: "integer", nullable: false),
                    field = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    accepted_value = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: false),
                    accepted_source_id = table.Column<int>(type: "integer", nullable: true),
                    reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    values_seen = table.Column<List<string>>(type: "text[]", nullable: false),
                    resolved_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    resolved_by = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_dispute_resolutions", x => x.id);
                    table.ForeignKey(
                        name: "fk_dispute_resolutions_sources_accepted_source_id",
                        column: x => x.accepted_source_id,
                        principalTable: "sources",
                        principalColumn: "id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateTable(
                name: "round_label_mappings",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    normalized_label = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    stage = table.Column<string>(type: "character varying(24)", maxLength: 24, nullable: false),
                    notes = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_round_label_mappings", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_citations_reported_values",
                table: "citations",
                columns: new[] { "record_type", "record_id", "field", "reported_value" },
                filter: "reported_value IS NOT NULL AND record_id IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_dispute_resolutions_accepted_source_id",
                table: "dispute_resolutions",
                column: "accepted_source_id");

            migrationBuilder.CreateIndex(
                name: "ix_dispute_resolutions_record_type_record_id_field",
                table: "dispute_resolutions",
                columns: new[] { "record_type", "record_id", "field" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_round_label_mappings_normalized_label",
                table: "round_label_mappings",
                column: "normalized_label",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "dispute_resolutions");

            migrationBuilder.DropTable(
                name: "round_label_mappings");

            migrationBuilder.DropIndex(
                name: "ix_citations_reported_values",
                table: "citations");
        }
    }
}

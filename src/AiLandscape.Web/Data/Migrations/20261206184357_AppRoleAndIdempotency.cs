using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class AppRoleAndIdempotency : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "idempotency_keys",
                columns: table => new
                {
                    user_id = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    request_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: false),
                    location = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    record_id = table.Column<int>(type: "integer", nullable: true),
                    record_slug = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotency_keys", x => new { x.user_id, x.key });
                });

            migrationBuilder.CreateIndex(
                name: "ix_idempotency_keys_created_at",
                table: "idempotency_keys",
                column: "created_at");

            // From now on the app runs as a role that owns no table (ADR 0025) and builds the shared as-of copies in
            // schemas it creates itself. Copies built before were made by the owner: the app role could not drop
            // them, so they go now (they are caches, rebuilt on the next as-of request) with their registrations.
            migrationBuilder.Sql("""
                DO $$
                DECLARE s name;
                BEGIN
                    FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'as\_of\_%' LOOP
                        EXECUTE format('DROP SCHEMA %I CASCADE', s);
                    END LOOP;
                END $$;
                DELETE FROM as_of_copies;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "idempotency_keys");
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SharedAsOfCopies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "as_of_copies",
                columns: table => new
                {
                    schema_name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    built_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_as_of_copies", x => x.schema_name);
                })
                .Annotation("Npgsql:UnloggedTable", true);

            migrationBuilder.CreateTable(
                name: "change_counter",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false),
                    value = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_change_counter", x => x.id);
                });

            migrationBuilder.InsertData(
                table: "change_counter",
                columns: new[] { "id", "value" },
                values: new object[] { 1, 0L });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The copies themselves live in schemas of their own.
            migrationBuilder.Sql("""
                DO $$ DECLARE s text; BEGIN
                  FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'as\_of\_%' LOOP
                    EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', s);
                  END LOOP;
                END $$;
                """);
            migrationBuilder.DropTable(
                name: "as_of_copies");

            migrationBuilder.DropTable(
                name: "change_counter");
        }
    }
}

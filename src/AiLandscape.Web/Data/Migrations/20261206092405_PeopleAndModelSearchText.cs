using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <summary>
    /// people.search_text and model_releases.search_text, kept by triggers like companies' and investors' (see the
    /// SearchText migration) for the one search box. Both also hold a "loose" form with hyphens, dots and slashes as
    /// spaces and then without spaces, so "kaifu lee" finds "Kai-Fu Lee" and "deepseek r1" finds "DeepSeek-R1".
    /// </summary>
    public partial class PeopleAndModelSearchText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "people",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "model_releases",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql("""
                CREATE FUNCTION ailandscape_loose_search_text(VARIADIC parts text[]) RETURNS text
                LANGUAGE sql STABLE PARALLEL SAFE AS $$
                    SELECT ailandscape_search_text(VARIADIC parts) || ' ' ||
                           ailandscape_search_text(regexp_replace(array_to_string(parts, ' '), '[-_./·・]+', ' ', 'g'))
                $$;

                CREATE FUNCTION people_search_text_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.search_text := ailandscape_loose_search_text(NEW.name_en, coalesce(NEW.name_zh, ''));
                    RETURN NEW;
                END $$;

                CREATE TRIGGER people_search_text BEFORE INSERT OR UPDATE ON people
                    FOR EACH ROW EXECUTE FUNCTION people_search_text_refresh();

                CREATE FUNCTION model_releases_search_text_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.search_text := ailandscape_loose_search_text(NEW.name);
                    RETURN NEW;
                END $$;

                CREATE TRIGGER model_releases_search_text BEFORE INSERT OR UPDATE ON model_releases
                    FOR EACH ROW EXECUTE FUNCTION model_releases_search_text_refresh();

                UPDATE people SET search_text = search_text;
                UPDATE model_releases SET search_text = search_text;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_people_search_text",
                table: "people",
                column: "search_text")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_model_releases_search_text",
                table: "model_releases",
                column: "search_text")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS people_search_text ON people;
                DROP TRIGGER IF EXISTS model_releases_search_text ON model_releases;
                DROP FUNCTION IF EXISTS people_search_text_refresh();
                DROP FUNCTION IF EXISTS model_releases_search_text_refresh();
                DROP FUNCTION IF EXISTS ailandscape_loose_search_text(text[]);
                """);

            migrationBuilder.DropIndex(
                name: "ix_people_search_text",
                table: "people");

            migrationBuilder.DropIndex(
                name: "ix_model_releases_search_text",
                table: "model_releases");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "people");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "model_releases");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <summary>
    /// Typos that trigrams miss (issue 19): "01ai" for "01.AI" (companies' search text now also holds the names without
    /// hyphens, dots and slashes, as people's and models' do), "zhpu" for "Zhipu" (one letter short: a Levenshtein
    /// distance of one to a word, <c>ailandscape_word_distance</c>), and the nearest names for "did you mean" (GiST
    /// trigram indexes, ordered by distance). See docs/decisions/0031-typos-and-suggestions.md.
    /// </summary>
    public partial class TypoSearch : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:fuzzystrmatch", ",,")
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:unaccent", ",,");

            migrationBuilder.Sql("""
                CREATE FUNCTION ailandscape_word_distance(query text, search_text text) RETURNS integer
                LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$
                    SELECT coalesce(min(levenshtein(w, query)), 1000)
                    FROM unnest(string_to_array(search_text, ' ')) AS w
                    WHERE length(query) <= 100 AND length(w) BETWEEN length(query) - 2 AND length(query) + 2
                $$;

                CREATE OR REPLACE FUNCTION companies_search_text_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.search_text := ailandscape_loose_search_text(
                        NEW.name_en, coalesce(NEW.name_zh, ''), coalesce(NEW.pinyin, ''),
                        array_to_string(NEW.legal_names, ' '), array_to_string(NEW.aliases, ' '));
                    RETURN NEW;
                END $$;

                UPDATE companies SET search_text = search_text;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_people_search_text_nearest",
                table: "people",
                column: "search_text")
                .Annotation("Npgsql:IndexMethod", "gist")
                .Annotation("Npgsql:IndexOperators", new[] { "gist_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_model_releases_search_text_nearest",
                table: "model_releases",
                column: "search_text")
                .Annotation("Npgsql:IndexMethod", "gist")
                .Annotation("Npgsql:IndexOperators", new[] { "gist_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_companies_search_text_nearest",
                table: "companies",
                column: "search_text")
                .Annotation("Npgsql:IndexMethod", "gist")
                .Annotation("Npgsql:IndexOperators", new[] { "gist_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION companies_search_text_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.search_text := ailandscape_search_text(
                        NEW.name_en, coalesce(NEW.name_zh, ''), coalesce(NEW.pinyin, ''),
                        array_to_string(NEW.legal_names, ' '), array_to_string(NEW.aliases, ' '));
                    RETURN NEW;
                END $$;

                UPDATE companies SET search_text = search_text;
                DROP FUNCTION ailandscape_word_distance(text, text);
                """);

            migrationBuilder.DropIndex(
                name: "ix_people_search_text_nearest",
                table: "people");

            migrationBuilder.DropIndex(
                name: "ix_model_releases_search_text_nearest",
                table: "model_releases");

            migrationBuilder.DropIndex(
                name: "ix_companies_search_text_nearest",
                table: "companies");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .Annotation("Npgsql:PostgresExtension:unaccent", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:fuzzystrmatch", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:pg_trgm", ",,")
                .OldAnnotation("Npgsql:PostgresExtension:unaccent", ",,");
        }
    }
}

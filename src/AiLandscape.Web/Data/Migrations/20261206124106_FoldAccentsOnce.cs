using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <summary>
    /// ailandscape_unaccent: unaccent() declared IMMUTABLE, so that a query's search term is folded once when the query
    /// is planned instead of once per row, and the planner sees the folded text when it chooses an index (measured in
    /// ADR 0006, "The site-wide search"). Safe as long as the unaccent dictionary is not edited in place; the
    /// search_text columns are computed with the same dictionary.
    /// </summary>
    public partial class FoldAccentsOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION ailandscape_unaccent(text) RETURNS text
                LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT unaccent('unaccent'::regdictionary, $1) $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION ailandscape_unaccent(text);");
        }
    }
}

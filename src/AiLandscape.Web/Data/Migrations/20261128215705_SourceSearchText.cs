using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SourceSearchText : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "search_text",
                table: "sources",
                type: "text",
                nullable: false,
                computedColumnSql: "coalesce(title, '') || E'\\n' || coalesce(publisher, '') || E'\\n' || coalesce(original_publisher, '') || E'\\n' || coalesce(url, '') || E'\\n' || coalesce(key, '')",
                stored: true);

            migrationBuilder.CreateIndex(
                name: "ix_sources_search_text",
                table: "sources",
                column: "search_text")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sources_search_text",
                table: "sources");

            migrationBuilder.DropColumn(
                name: "search_text",
                table: "sources");
        }
    }
}

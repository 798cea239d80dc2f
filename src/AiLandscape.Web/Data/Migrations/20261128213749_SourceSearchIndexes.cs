using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class SourceSearchIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_sources_key_trgm",
                table: "sources",
                column: "key")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_sources_original_publisher_trgm",
                table: "sources",
                column: "original_publisher")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_sources_published_on_id",
                table: "sources",
                columns: new[] { "published_on", "id" },
                descending: new bool[0]);

            migrationBuilder.CreateIndex(
                name: "ix_sources_publisher_trgm",
                table: "sources",
                column: "publisher")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_sources_title_trgm",
                table: "sources",
                column: "title")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });

            migrationBuilder.CreateIndex(
                name: "ix_sources_url_trgm",
                table: "sources",
                column: "url")
                .Annotation("Npgsql:IndexMethod", "gin")
                .Annotation("Npgsql:IndexOperators", new[] { "gin_trgm_ops" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_sources_key_trgm",
                table: "sources");

            migrationBuilder.DropIndex(
                name: "ix_sources_original_publisher_trgm",
                table: "sources");

            migrationBuilder.DropIndex(
                name: "ix_sources_published_on_id",
                table: "sources");

            migrationBuilder.DropIndex(
                name: "ix_sources_publisher_trgm",
                table: "sources");

            migrationBuilder.DropIndex(
                name: "ix_sources_title_trgm",
                table: "sources");

            migrationBuilder.DropIndex(
                name: "ix_sources_url_trgm",
                table: "sources");
        }
    }
}

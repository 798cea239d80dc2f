using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class ListSortIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_companies_headquarters_city",
                table: "companies");

            migrationBuilder.CreateIndex(
                name: "ix_people_name_en_id",
                table: "people",
                columns: new[] { "name_en", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_companies_headquarters_city_id",
                table: "companies",
                columns: new[] { "headquarters_city", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_companies_name_en_id",
                table: "companies",
                columns: new[] { "name_en", "id" });

            // The directory's and the model list's orders that put nulls last in both directions, tie-breaker
            // included, as CompanyService and ModelDirectoryService write them: a page is read from the index instead
            // of sorting every row (ADR 0023). Expression indexes, so outside the EF model.
            migrationBuilder.Sql(string.Concat(SortIndexes.Select(i => $"CREATE INDEX {i.Name} ON {i.Table} ({i.Columns});\n")));
        }

        private static readonly (string Name, string Table, string Columns)[] SortIndexes =
        [
            ("ix_companies_sort_founded", "companies", "(founded_on IS NULL), founded_on, id"),
            ("ix_companies_sort_founded_desc", "companies", "(founded_on IS NULL), founded_on DESC, id"),
            ("ix_companies_sort_total_raised", "companies", "(total_raised_usd IS NULL), total_raised_usd, id"),
            ("ix_companies_sort_total_raised_desc", "companies", "(total_raised_usd IS NULL), total_raised_usd DESC, id"),
            ("ix_companies_sort_latest_valuation", "companies", "(latest_valuation_usd IS NULL), latest_valuation_usd, id"),
            ("ix_companies_sort_latest_valuation_desc", "companies", "(latest_valuation_usd IS NULL), latest_valuation_usd DESC, id"),
            ("ix_companies_sort_last_round", "companies", "(last_round_on IS NULL), last_round_on, id"),
            ("ix_companies_sort_last_round_desc", "companies", "(last_round_on IS NULL), last_round_on DESC, id"),
            ("ix_model_releases_sort_released_desc", "model_releases", "(released_on IS NULL), released_on DESC, name, id"),
        ];

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(string.Concat(SortIndexes.Select(i => $"DROP INDEX {i.Name};\n")));

            migrationBuilder.DropIndex(
                name: "ix_people_name_en_id",
                table: "people");

            migrationBuilder.DropIndex(
                name: "ix_companies_headquarters_city_id",
                table: "companies");

            migrationBuilder.DropIndex(
                name: "ix_companies_name_en_id",
                table: "companies");

            migrationBuilder.CreateIndex(
                name: "ix_companies_headquarters_city",
                table: "companies",
                column: "headquarters_city");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <summary>
    /// The search box ranks a company first when one of its people's names is the query exactly; these two indexes
    /// answer that test without reading every person (ADR 0019, "Search re-measured"). Expression indexes are not
    /// part of the EF model, hence SQL.
    /// </summary>
    public partial class PersonExactNameIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX ix_people_folded_name_en ON people (ailandscape_unaccent(lower(name_en)));
                CREATE INDEX ix_people_name_zh ON people (name_zh);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX ix_people_folded_name_en; DROP INDEX ix_people_name_zh;");
        }
    }
}

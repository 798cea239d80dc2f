using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <summary>
    /// The precision of a company's last-round and latest-valuation dates, stored beside them (issue 19: companies.csv
    /// wrote "2024-07-01" for a valuation known to the month). Filled here from the rounds and valuations the dates come
    /// from, as CompanyFiguresUpdater computes them from now on.
    /// </summary>
    public partial class CompanyFigureDatePrecision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "last_round_precision",
                table: "companies",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Day");

            migrationBuilder.AddColumn<string>(
                name: "latest_valuation_precision",
                table: "companies",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Day");

            migrationBuilder.Sql("""
                UPDATE companies AS c SET last_round_precision = r.announced_precision
                FROM (SELECT DISTINCT ON (company_id) company_id, announced_precision FROM funding_rounds
                      WHERE announced_on IS NOT NULL ORDER BY company_id, announced_on DESC, id DESC) AS r
                WHERE r.company_id = c.id;

                UPDATE companies AS c SET latest_valuation_precision = v.precision
                FROM (SELECT DISTINCT ON (company_id) company_id, precision FROM valuation_points
                      WHERE NOT is_unverified ORDER BY company_id, valued_on DESC, id DESC) AS v
                WHERE v.company_id = c.id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "last_round_precision",
                table: "companies");

            migrationBuilder.DropColumn(
                name: "latest_valuation_precision",
                table: "companies");
        }
    }
}

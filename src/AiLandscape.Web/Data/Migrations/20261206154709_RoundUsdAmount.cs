using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <summary>
    /// Each round's stored USD amount (filled by CompanyFiguresUpdater at start, see SeedLoader: this migration removes
    /// its "filled" record both ways) and an index per sort order of the rounds list, with the list's keys and tie-breakers
    /// exactly as RoundService.Order writes them (expressions, hence raw SQL), so that a page reads 25 rows from an
    /// index instead of sorting every round (ADR 0022).
    /// </summary>
    public partial class RoundUsdAmount : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM seed_history WHERE dataset = 'derived-round-usd-amount';");
            migrationBuilder.AddColumn<decimal>(
                name: "amount_usd",
                table: "funding_rounds",
                type: "numeric(20,4)",
                precision: 20,
                scale: 4,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "amount_usd_is_approximate",
                table: "funding_rounds",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateIndex(
                name: "ix_funding_rounds_currency",
                table: "funding_rounds",
                column: "currency");

            migrationBuilder.Sql("""
                CREATE INDEX ix_funding_rounds_list_date_desc ON funding_rounds ((announced_on IS NULL), announced_on DESC, id);
                CREATE INDEX ix_funding_rounds_list_date_asc ON funding_rounds ((announced_on IS NULL), announced_on, id);
                CREATE INDEX ix_funding_rounds_list_usd_desc ON funding_rounds
                    ((amount_usd IS NULL), amount_usd DESC, (announced_on IS NULL), announced_on DESC, id);
                CREATE INDEX ix_funding_rounds_list_usd_asc ON funding_rounds
                    ((amount_usd IS NULL), amount_usd, (announced_on IS NULL), announced_on DESC, id);
                CREATE INDEX ix_funding_rounds_list_stage ON funding_rounds
                    ((CASE WHEN stage = 'Angel' THEN 0 WHEN stage = 'Seed' THEN 1 WHEN stage = 'SeriesA' THEN 2 WHEN stage = 'SeriesB' THEN 3 WHEN stage = 'SeriesC' THEN 4 WHEN stage = 'SeriesD' THEN 5 WHEN stage = 'LaterStage' THEN 6 WHEN stage = 'Strategic' THEN 7 WHEN stage = 'PreIpo' THEN 8 WHEN stage = 'Ipo' THEN 9 WHEN stage = 'Unnamed' THEN 10 ELSE 11 END), (announced_on IS NULL), announced_on DESC, id);
                CREATE INDEX ix_funding_rounds_list_company ON funding_rounds
                    (company_id, (announced_on IS NULL), announced_on DESC, id);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DELETE FROM seed_history WHERE dataset = 'derived-round-usd-amount';");
            migrationBuilder.Sql("""
                DROP INDEX ix_funding_rounds_list_date_desc;
                DROP INDEX ix_funding_rounds_list_date_asc;
                DROP INDEX ix_funding_rounds_list_usd_desc;
                DROP INDEX ix_funding_rounds_list_usd_asc;
                DROP INDEX ix_funding_rounds_list_stage;
                DROP INDEX ix_funding_rounds_list_company;
                """);

            migrationBuilder.DropIndex(
                name: "ix_funding_rounds_currency",
                table: "funding_rounds");

            migrationBuilder.DropColumn(
                name: "amount_usd",
                table: "funding_rounds");

            migrationBuilder.DropColumn(
                name: "amount_usd_is_approximate",
                table: "funding_rounds");
        }
    }
}

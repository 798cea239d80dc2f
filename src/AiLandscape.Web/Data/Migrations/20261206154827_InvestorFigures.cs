using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class InvestorFigures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_investors_kind",
                table: "investors");

            migrationBuilder.AddColumn<int>(
                name: "company_count",
                table: "investors",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateOnly>(
                name: "latest_investment_on",
                table: "investors",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "latest_investment_precision",
                table: "investors",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Day");

            migrationBuilder.AddColumn<int>(
                name: "lead_count",
                table: "investors",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "round_count",
                table: "investors",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "unit_count",
                table: "investors",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "ix_investors_kind_desc_name_en_id",
                table: "investors",
                columns: new[] { "kind", "name_en", "id" },
                descending: new[] { true, false, false });

            migrationBuilder.CreateIndex(
                name: "ix_investors_kind_name_en_id",
                table: "investors",
                columns: new[] { "kind", "name_en", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_investors_name_en_desc_id",
                table: "investors",
                columns: new[] { "name_en", "id" },
                descending: new[] { true, false });

            migrationBuilder.CreateIndex(
                name: "ix_investors_name_en_id",
                table: "investors",
                columns: new[] { "name_en", "id" });

            // The orders of /investors on the stored figures, with the list's tie-breakers (name, id), each direction
            // its own index. Country and latest investment put empty values last both ways ("x IS NULL" first), as
            // the query says: expression indexes, which EF cannot model.
            migrationBuilder.Sql("""
                CREATE INDEX ix_investors_company_count_name_en_id ON investors (company_count, name_en, id);
                CREATE INDEX ix_investors_company_count_desc_name_en_id ON investors (company_count DESC, name_en, id);
                CREATE INDEX ix_investors_round_count_name_en_id ON investors (round_count, name_en, id);
                CREATE INDEX ix_investors_round_count_desc_name_en_id ON investors (round_count DESC, name_en, id);
                CREATE INDEX ix_investors_lead_count_name_en_id ON investors (lead_count, name_en, id);
                CREATE INDEX ix_investors_lead_count_desc_name_en_id ON investors (lead_count DESC, name_en, id);
                CREATE INDEX ix_investors_country_name_en_id ON investors ((country IS NULL), country, name_en, id);
                CREATE INDEX ix_investors_country_desc_name_en_id ON investors ((country IS NULL), country DESC, name_en, id);
                CREATE INDEX ix_investors_latest_investment_name_en_id
                    ON investors ((latest_investment_on IS NULL), latest_investment_on, name_en, id);
                CREATE INDEX ix_investors_latest_investment_desc_name_en_id
                    ON investors ((latest_investment_on IS NULL), latest_investment_on DESC, name_en, id);
                """);

            // The figures of every existing investor, as InvestorFiguresUpdater.RefreshAsync computes them (a copy:
            // a migration keeps the rule of its day).
            migrationBuilder.Sql("""
                WITH credited AS (
                    SELECT p.investor_id AS investor_id, p.funding_round_id, p.is_lead FROM participations p
                    UNION ALL
                    SELECT i.parent_id, p.funding_round_id, p.is_lead
                    FROM participations p JOIN investors i ON i.id = p.investor_id
                    WHERE i.parent_id IS NOT NULL
                ),
                figures AS (
                    SELECT t.id,
                        (SELECT count(*) FROM investors u WHERE u.parent_id = t.id)::int AS units,
                        count(DISTINCT r.company_id)::int AS companies,
                        count(DISTINCT c.funding_round_id)::int AS rounds,
                        (count(DISTINCT c.funding_round_id) FILTER (WHERE c.is_lead))::int AS leads,
                        max(r.announced_on) AS latest_on,
                        coalesce((array_agg(r.announced_precision
                            ORDER BY r.announced_on DESC NULLS LAST, r.announced_precision <> 'Day', r.announced_precision)
                            FILTER (WHERE r.announced_on IS NOT NULL))[1], 'Day') AS latest_precision
                    FROM investors t
                    LEFT JOIN credited c ON c.investor_id = t.id
                    LEFT JOIN funding_rounds r ON r.id = c.funding_round_id
                    GROUP BY t.id
                )
                UPDATE investors AS i SET unit_count = f.units, company_count = f.companies, round_count = f.rounds,
                    lead_count = f.leads, latest_investment_on = f.latest_on, latest_investment_precision = f.latest_precision
                FROM figures f
                WHERE i.id = f.id;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX ix_investors_company_count_name_en_id, ix_investors_company_count_desc_name_en_id,
                    ix_investors_round_count_name_en_id, ix_investors_round_count_desc_name_en_id,
                    ix_investors_lead_count_name_en_id, ix_investors_lead_count_desc_name_en_id,
                    ix_investors_country_name_en_id, ix_investors_country_desc_name_en_id,
                    ix_investors_latest_investment_name_en_id, ix_investors_latest_investment_desc_name_en_id;
                """);

            migrationBuilder.DropIndex(
                name: "ix_investors_kind_desc_name_en_id",
                table: "investors");

            migrationBuilder.DropIndex(
                name: "ix_investors_kind_name_en_id",
                table: "investors");

            migrationBuilder.DropIndex(
                name: "ix_investors_name_en_desc_id",
                table: "investors");

            migrationBuilder.DropIndex(
                name: "ix_investors_name_en_id",
                table: "investors");

            migrationBuilder.DropColumn(
                name: "company_count",
                table: "investors");

            migrationBuilder.DropColumn(
                name: "latest_investment_on",
                table: "investors");

            migrationBuilder.DropColumn(
                name: "latest_investment_precision",
                table: "investors");

            migrationBuilder.DropColumn(
                name: "lead_count",
                table: "investors");

            migrationBuilder.DropColumn(
                name: "round_count",
                table: "investors");

            migrationBuilder.DropColumn(
                name: "unit_count",
                table: "investors");

            migrationBuilder.CreateIndex(
                name: "ix_investors_kind",
                table: "investors",
                column: "kind");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <summary>
    /// Issue 19: the latest valuation's qualifier ("about", "over", "under") stored beside its USD figure, so /companies,
    /// the top valuations and companies.csv prefix it as the profile does ("~US$4.8B"). Added wherever the figures live:
    /// companies and its kept history (in the same place: the triggers copy rows by position), the event-time spans, and
    /// the view companies_event_time (its columns are frozen, so it is recreated). Filled here with the rule of
    /// CompanyFiguresUpdater (the qualifier of the latest verified valuation, by date then id): today's rows, each span as
    /// of its first day, and each kept version as of each instant it covers, cut where a valuation's qualifier changed
    /// within it (an edit of the qualifier alone did not touch the company's row before).
    /// </summary>
    public partial class ValuationQualifierFigure : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW companies_event_time;");

            migrationBuilder.AddColumn<string>(
                name: "latest_valuation_qualifier",
                table: "company_figure_steps",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Exact");

            migrationBuilder.AddColumn<string>(
                name: "latest_valuation_qualifier",
                table: "companies",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "Exact");

            migrationBuilder.Sql("""
                ALTER TABLE companies_history ADD COLUMN latest_valuation_qualifier character varying(16) NOT NULL DEFAULT 'Exact';
                ALTER TABLE companies_history ALTER COLUMN latest_valuation_qualifier DROP DEFAULT;
                """);

            // Today's figures, without a new kept version: the versions are filled below, this one among them.
            migrationBuilder.Sql("""
                ALTER TABLE companies DISABLE TRIGGER keep_history_of_updates;
                UPDATE companies AS c SET latest_valuation_qualifier = v.qualifier
                FROM (SELECT DISTINCT ON (company_id) company_id, qualifier FROM valuation_points
                      WHERE NOT is_unverified ORDER BY company_id, valued_on DESC, id DESC) AS v
                WHERE v.company_id = c.id AND c.latest_valuation_on IS NOT NULL;
                ALTER TABLE companies ENABLE TRIGGER keep_history_of_updates;

                UPDATE company_figure_steps AS s SET latest_valuation_qualifier = coalesce(
                    (SELECT p.qualifier FROM valuation_points p
                     WHERE p.company_id = s.company_id AND NOT p.is_unverified AND p.valued_on <= s.from_on
                     ORDER BY p.valued_on DESC, p.id DESC LIMIT 1), 'Exact')
                WHERE s.latest_valuation_on IS NOT NULL;
                """);

            // Each kept version of a company (an empty one, never read, stays Exact) in pieces: from its start and from
            // each instant a version of one of its valuations began or ended within it, the qualifier of the latest
            // verified valuation then; pieces that agree are merged, so a version is cut only where its qualifier changed.
            migrationBuilder.Sql("""
                WITH points AS (
                    SELECT h.id, h.valid, h.latest_valuation_on, lower(h.valid) AS at
                    FROM companies_history h WHERE NOT isempty(h.valid)
                    UNION
                    SELECT h.id, h.valid, h.latest_valuation_on, b.at
                    FROM companies_history h
                    JOIN valuation_points_history v ON v.company_id = h.id AND NOT isempty(v.valid)
                    CROSS JOIN LATERAL (VALUES (lower(v.valid)), (upper(v.valid))) AS b(at)
                    WHERE NOT isempty(h.valid) AND b.at > lower(h.valid) AND b.at < coalesce(upper(h.valid), 'infinity')
                ),
                pieces AS (
                    SELECT p.id, p.valid, p.at,
                           CASE WHEN p.latest_valuation_on IS NULL THEN 'Exact' ELSE coalesce(
                               (SELECT v.qualifier FROM valuation_points_history v
                                WHERE v.company_id = p.id AND v.valid @> p.at AND NOT v.is_unverified
                                ORDER BY v.valued_on DESC, v.id DESC LIMIT 1), 'Exact') END AS qualifier
                    FROM points p
                ),
                marked AS (
                    SELECT *, CASE WHEN qualifier IS DISTINCT FROM lag(qualifier) OVER w THEN 1 ELSE 0 END AS starts
                    FROM pieces WINDOW w AS (PARTITION BY id, valid ORDER BY at)
                ),
                islands AS (
                    SELECT id, valid, min(at) AS at, min(qualifier) AS qualifier
                    FROM (SELECT *, sum(starts) OVER (PARTITION BY id, valid ORDER BY at) AS island FROM marked) n
                    GROUP BY id, valid, island
                ),
                bounded AS (
                    SELECT *, lead(at) OVER (PARTITION BY id, valid ORDER BY at) AS next_at FROM islands
                ),
                old AS (
                    DELETE FROM companies_history h USING (SELECT DISTINCT id, valid FROM islands) k
                    WHERE h.id = k.id AND h.valid = k.valid
                    RETURNING h.*
                )
                INSERT INTO companies_history
                SELECT tstzrange(b.at, coalesce(b.next_at, upper(o.valid))), o.written_by, r.*
                FROM old o
                JOIN bounded b ON b.id = o.id AND b.valid = o.valid,
                LATERAL jsonb_populate_record(NULL::companies,
                    (to_jsonb(o) - 'valid' - 'written_by') || jsonb_build_object('latest_valuation_qualifier', b.qualifier)) r;
                """);

            migrationBuilder.Sql(EventTimeView(withQualifier: true));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW companies_event_time;");

            migrationBuilder.DropColumn(
                name: "latest_valuation_qualifier",
                table: "company_figure_steps");

            migrationBuilder.DropColumn(
                name: "latest_valuation_qualifier",
                table: "companies");

            migrationBuilder.Sql("ALTER TABLE companies_history DROP COLUMN latest_valuation_qualifier;");

            migrationBuilder.Sql(EventTimeView(withQualifier: false));
        }

        /// <summary>
        /// The view of migration AsOfFromHistory, with the new figure column or without it: a company with the figures of
        /// its span holding the day, empty figures before its first span.
        /// </summary>
        private static string EventTimeView(bool withQualifier) => $$"""
            DO $$ BEGIN
                EXECUTE (
                    SELECT 'CREATE VIEW companies_event_time AS SELECT c.xmin, '
                        || string_agg('c.' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
                        || ', s.total_raised_usd, coalesce(s.total_raised_is_floor, false) AS total_raised_is_floor,'
                        || ' coalesce(s.round_count, 0) AS round_count,'
                        || ' coalesce(s.undisclosed_round_count, 0) AS undisclosed_round_count,'
                        || ' coalesce(s.investor_count, 0) AS investor_count, s.last_round_on,'
                        || ' coalesce(s.last_round_precision, ''Day'') AS last_round_precision, s.latest_valuation_usd,'
                        || ' s.latest_valuation_on, coalesce(s.latest_valuation_precision, ''Day'') AS latest_valuation_precision,'
                        {{(withQualifier ? "|| ' coalesce(s.latest_valuation_qualifier, ''Exact'') AS latest_valuation_qualifier,'" : "")}}
                        || ' coalesce(s.from_on, ''0001-01-01'') AS figures_from, s.until_on AS figures_until'
                        || ' FROM companies c LEFT JOIN company_figure_steps s ON s.company_id = c.id'
                    FROM pg_attribute a
                    WHERE a.attrelid = 'companies'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                      AND a.attname NOT IN ('total_raised_usd', 'total_raised_is_floor', 'round_count',
                          'undisclosed_round_count', 'investor_count', 'last_round_on', 'last_round_precision',
                          'latest_valuation_usd', 'latest_valuation_on', 'latest_valuation_precision',
                          'latest_valuation_qualifier'));
            END $$;
            """;
    }
}

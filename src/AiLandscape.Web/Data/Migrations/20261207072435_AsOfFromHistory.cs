using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <summary>
    /// Issue 13 (ADR 0033): as-of views read the kept history (knowledge time) and each company's figure spans (event
    /// time) with ordinary queries, so the shared as-of copies, their registry and their schemas go.
    /// </summary>
    public partial class AsOfFromHistory : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "as_of_copies");

            migrationBuilder.CreateTable(
                name: "company_figure_steps",
                columns: table => new
                {
                    company_id = table.Column<int>(type: "integer", nullable: false),
                    from_on = table.Column<DateOnly>(type: "date", nullable: false),
                    until_on = table.Column<DateOnly>(type: "date", nullable: true),
                    investor_count = table.Column<int>(type: "integer", nullable: false),
                    last_round_on = table.Column<DateOnly>(type: "date", nullable: true),
                    last_round_precision = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    latest_valuation_on = table.Column<DateOnly>(type: "date", nullable: true),
                    latest_valuation_precision = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    latest_valuation_usd = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: true),
                    round_count = table.Column<int>(type: "integer", nullable: false),
                    total_raised_is_floor = table.Column<bool>(type: "boolean", nullable: false),
                    total_raised_usd = table.Column<decimal>(type: "numeric(20,2)", precision: 20, scale: 2, nullable: true),
                    undisclosed_round_count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_company_figure_steps", x => new { x.company_id, x.from_on });
                    table.ForeignKey(
                        name: "fk_company_figure_steps_companies_company_id",
                        column: x => x.company_id,
                        principalTable: "companies",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Filled by the seed loader at start, with the C# rules of the figures (as after migration RoundUsdAmount).
            migrationBuilder.Sql("DELETE FROM seed_history WHERE dataset = 'derived-company-figure-steps';");
            // Likewise the versions from before KeptHistory (a rebuild skips records rebuilt already).
            migrationBuilder.Sql("DELETE FROM seed_history WHERE dataset = 'history-from-audit';");

            // A company with its figures as they stood over each span of days (event time): the model of
            // EventTimeDbContext reads companies from here. xmin stands in for the row version the entity maps. A
            // company without spans yet (created without rounds, or by hand) has empty figures on every day.
            // Frozen at the columns of today: a migration that adds a column to companies recreates this view.
            migrationBuilder.Sql("""
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
                            || ' coalesce(s.from_on, ''0001-01-01'') AS figures_from, s.until_on AS figures_until'
                            || ' FROM companies c LEFT JOIN company_figure_steps s ON s.company_id = c.id'
                        FROM pg_attribute a
                        WHERE a.attrelid = 'companies'::regclass AND a.attnum > 0 AND NOT a.attisdropped
                          AND a.attname NOT IN ('total_raised_usd', 'total_raised_is_floor', 'round_count',
                              'undisclosed_round_count', 'investor_count', 'last_round_on', 'last_round_precision',
                              'latest_valuation_usd', 'latest_valuation_on', 'latest_valuation_precision'));
                END $$;
                """);

            // Investors are kept too (ADR 0033): a knowledge-time view reads their names and stored figures as then,
            // as the dashboard's most active investors need. The same history and triggers as migration KeptHistory.
            migrationBuilder.Sql("""
                CREATE TABLE investors_history (valid tstzrange NOT NULL, written_by xid8 NOT NULL, LIKE investors);
                ALTER TABLE investors_history ADD CONSTRAINT ex_investors_history_one_version_at_a_time
                    EXCLUDE USING gist (id WITH =, valid WITH &&) DEFERRABLE INITIALLY DEFERRED;
                CREATE INDEX ix_investors_history_current ON investors_history (id) WHERE upper_inf(valid);

                INSERT INTO investors_history
                SELECT tstzrange(coalesce((SELECT max(a.at) FROM audit_entries a
                                           WHERE a.record_type = 'Investor' AND a.record_id = x.id), '-infinity'), NULL),
                       '0'::xid8, x.*
                FROM investors x;

                -- Runs as the owner: the app's role reads the history but cannot write it.
                CREATE FUNCTION ailandscape_keep_investors_history() RETURNS trigger
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
                DECLARE
                    at timestamptz := transaction_timestamp();
                    me xid8 := pg_current_xact_id();
                BEGIN
                    IF TG_OP = 'INSERT' THEN
                        -- The seed loader says 'known from the start' ('-infinity') for what it writes.
                        INSERT INTO investors_history
                        SELECT tstzrange(coalesce(nullif(current_setting('ailandscape.known_from', true), '')::timestamptz, at), NULL), me, n.*
                        FROM new_rows n;
                    ELSIF TG_OP = 'UPDATE' THEN
                        -- The version another transaction wrote ends now; one this transaction wrote is replaced and
                        -- keeps its start. A version that starts at or after now (a transaction that started later
                        -- committed first) is replaced too: versions never overlap and never run backwards.
                        WITH ended AS (
                            UPDATE investors_history h SET valid = tstzrange(lower(h.valid), at)
                            FROM old_rows o
                            WHERE h.id = o.id AND upper_inf(h.valid) AND h.written_by <> me AND lower(h.valid) < at
                            RETURNING h.id),
                        replaced AS (
                            DELETE FROM investors_history h USING old_rows o
                            WHERE h.id = o.id AND upper_inf(h.valid) AND (h.written_by = me OR lower(h.valid) >= at)
                            RETURNING h.id, lower(h.valid) AS since)
                        INSERT INTO investors_history
                        SELECT tstzrange(coalesce(r.since, at), NULL), me, n.*
                        FROM new_rows n LEFT JOIN replaced r ON r.id = n.id;
                    ELSE
                        UPDATE investors_history h SET valid = tstzrange(lower(h.valid), at)
                        FROM old_rows o
                        WHERE h.id = o.id AND upper_inf(h.valid) AND h.written_by <> me AND lower(h.valid) < at;
                        DELETE FROM investors_history h USING old_rows o
                        WHERE h.id = o.id AND upper_inf(h.valid) AND (h.written_by = me OR lower(h.valid) >= at);
                    END IF;
                    RETURN NULL;
                END $fn$;
                CREATE TRIGGER keep_history_of_inserts AFTER INSERT ON investors
                    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ailandscape_keep_investors_history();
                CREATE TRIGGER keep_history_of_updates AFTER UPDATE ON investors
                    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ailandscape_keep_investors_history();
                CREATE TRIGGER keep_history_of_deletes AFTER DELETE ON investors
                    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ailandscape_keep_investors_history();
                """);

            // Knowledge-time reads query the history as today's pages query the tables: each history table gets its
            // table's indexes (not unique: a row has many versions), besides the exclusion index on (id, valid).
            migrationBuilder.Sql("""
                DO $$
                DECLARE r record;
                BEGIN
                    FOR r IN
                        SELECT c.relname AS tbl, ic.relname AS idx, pg_get_indexdef(i.indexrelid) AS def
                        FROM pg_index i
                        JOIN pg_class c ON c.oid = i.indrelid
                        JOIN pg_class ic ON ic.oid = i.indexrelid
                        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
                        WHERE c.relname IN ('companies', 'investors', 'people', 'company_roles', 'funding_rounds', 'participations',
                                            'valuation_points', 'company_events', 'model_releases', 'sources', 'citations',
                                            'exchange_rates', 'dispute_resolutions', 'round_label_mappings')
                          AND NOT i.indisprimary
                    LOOP
                        EXECUTE regexp_replace(
                            replace(r.def, 'CREATE UNIQUE INDEX', 'CREATE INDEX'),
                            'INDEX \S+ ON (\S+\.)?\S+ ',
                            format('INDEX %I ON %I ', left('h_' || r.idx, 63), r.tbl || '_history'));
                    END LOOP;
                END $$;
                """);
            foreach (var t in new[] { "companies", "investors", "people", "company_roles", "funding_rounds", "participations",
                                      "valuation_points", "company_events", "model_releases", "sources", "citations",
                                      "exchange_rates", "dispute_resolutions", "round_label_mappings" })
            {
                migrationBuilder.Sql($"ANALYZE {t}_history;");
            }

            // The copies' schemas (as_of_*) belong to the app's role; an owner that may not drop them leaves them
            // for a superuser to drop, with a notice.
            migrationBuilder.Sql("""
                DO $$
                DECLARE s name;
                BEGIN
                    FOR s IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'as\_of\_%' LOOP
                        BEGIN
                            EXECUTE format('DROP SCHEMA %I CASCADE', s);
                        EXCEPTION WHEN insufficient_privilege THEN
                            RAISE NOTICE 'as-of copy schema % left in place: drop it as its owner', s;
                        END;
                    END LOOP;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP VIEW companies_event_time;");
            migrationBuilder.Sql("""
                DROP TRIGGER keep_history_of_inserts ON investors;
                DROP TRIGGER keep_history_of_updates ON investors;
                DROP TRIGGER keep_history_of_deletes ON investors;
                DROP FUNCTION ailandscape_keep_investors_history();
                DROP TABLE investors_history;
                """);
            migrationBuilder.Sql("""
                DO $$
                DECLARE r record;
                BEGIN
                    FOR r IN
                        SELECT ic.relname AS idx
                        FROM pg_index i
                        JOIN pg_class c ON c.oid = i.indrelid
                        JOIN pg_class ic ON ic.oid = i.indexrelid
                        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = current_schema()
                        WHERE c.relname LIKE '%\_history' AND ic.relname LIKE 'h\_%'
                    LOOP
                        EXECUTE format('DROP INDEX %I', r.idx);
                    END LOOP;
                END $$;
                """);

            migrationBuilder.DropTable(
                name: "company_figure_steps");

            migrationBuilder.CreateTable(
                name: "as_of_copies",
                columns: table => new
                {
                    schema_name = table.Column<string>(type: "character varying(63)", maxLength: 63, nullable: false),
                    built_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    last_used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_as_of_copies", x => x.schema_name);
                })
                .Annotation("Npgsql:UnloggedTable", true);
        }
    }
}

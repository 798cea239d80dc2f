using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <summary>
    /// Issue 13, first step (ADR 0032): each table whose past matters gets <c>&lt;table&gt;_history</c>, every version of
    /// every row with the period it was the database's knowledge (<c>valid</c>, a tstzrange from the writing
    /// transaction's start), kept by statement-level triggers in the writing transaction. Existing rows enter it as
    /// known since their last audit entry, or from the start when they have none (the seed).
    /// </summary>
    public partial class KeptHistory : Migration
    {
        // Frozen here: later migrations that add a tracked table or a column add its history in the same migration.
        private static readonly (string Table, string RecordType)[] Tracked =
        [
            ("companies", "Company"), ("people", "Person"), ("company_roles", "CompanyRole"),
            ("funding_rounds", "FundingRound"), ("participations", "Participation"),
            ("valuation_points", "ValuationPoint"), ("company_events", "CompanyEvent"),
            ("model_releases", "ModelRelease"), ("sources", "Source"), ("citations", "Citation"),
            ("exchange_rates", "ExchangeRate"), ("dispute_resolutions", "DisputeResolution"),
            ("round_label_mappings", "RoundLabelMapping"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // btree_gist lets one exclusion constraint say "no two versions of a row overlap"; trusted, like pg_trgm.
            migrationBuilder.Sql("CREATE EXTENSION IF NOT EXISTS btree_gist;");
            foreach (var (t, type) in Tracked)
            {
                migrationBuilder.Sql($"""
                    CREATE TABLE {t}_history (valid tstzrange NOT NULL, written_by xid8 NOT NULL, LIKE {t});
                    ALTER TABLE {t}_history ADD CONSTRAINT ex_{t}_history_one_version_at_a_time
                        EXCLUDE USING gist (id WITH =, valid WITH &&) DEFERRABLE INITIALLY DEFERRED;
                    CREATE INDEX ix_{t}_history_current ON {t}_history (id) WHERE upper_inf(valid);

                    INSERT INTO {t}_history
                    SELECT tstzrange(coalesce((SELECT max(a.at) FROM audit_entries a
                                               WHERE a.record_type = '{type}' AND a.record_id = x.id), '-infinity'), NULL),
                           '0'::xid8, x.*
                    FROM {t} x;

                    -- Runs as the owner: the app's role reads the history but cannot write it.
                    CREATE FUNCTION ailandscape_keep_{t}_history() RETURNS trigger
                    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
                    DECLARE
                        at timestamptz := transaction_timestamp();
                        me xid8 := pg_current_xact_id();
                    BEGIN
                        IF TG_OP = 'INSERT' THEN
                            -- The seed loader says 'known from the start' ('-infinity') for what it writes.
                            INSERT INTO {t}_history
                            SELECT tstzrange(coalesce(nullif(current_setting('ailandscape.known_from', true), '')::timestamptz, at), NULL), me, n.*
                            FROM new_rows n;
                        ELSIF TG_OP = 'UPDATE' THEN
                            -- The version another transaction wrote ends now; one this transaction wrote is replaced and
                            -- keeps its start. A version that starts at or after now (a transaction that started later
                            -- committed first) is replaced too: versions never overlap and never run backwards.
                            WITH ended AS (
                                UPDATE {t}_history h SET valid = tstzrange(lower(h.valid), at)
                                FROM old_rows o
                                WHERE h.id = o.id AND upper_inf(h.valid) AND h.written_by <> me AND lower(h.valid) < at
                                RETURNING h.id),
                            replaced AS (
                                DELETE FROM {t}_history h USING old_rows o
                                WHERE h.id = o.id AND upper_inf(h.valid) AND (h.written_by = me OR lower(h.valid) >= at)
                                RETURNING h.id, lower(h.valid) AS since)
                            INSERT INTO {t}_history
                            SELECT tstzrange(coalesce(r.since, at), NULL), me, n.*
                            FROM new_rows n LEFT JOIN replaced r ON r.id = n.id;
                        ELSE
                            UPDATE {t}_history h SET valid = tstzrange(lower(h.valid), at)
                            FROM old_rows o
                            WHERE h.id = o.id AND upper_inf(h.valid) AND h.written_by <> me AND lower(h.valid) < at;
                            DELETE FROM {t}_history h USING old_rows o
                            WHERE h.id = o.id AND upper_inf(h.valid) AND (h.written_by = me OR lower(h.valid) >= at);
                        END IF;
                        RETURN NULL;
                    END $fn$;
                    CREATE TRIGGER keep_history_of_inserts AFTER INSERT ON {t}
                        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ailandscape_keep_{t}_history();
                    CREATE TRIGGER keep_history_of_updates AFTER UPDATE ON {t}
                        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ailandscape_keep_{t}_history();
                    CREATE TRIGGER keep_history_of_deletes AFTER DELETE ON {t}
                        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION ailandscape_keep_{t}_history();
                    """);
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var (t, _) in Tracked)
            {
                migrationBuilder.Sql($"""
                    DROP TRIGGER keep_history_of_inserts ON {t};
                    DROP TRIGGER keep_history_of_updates ON {t};
                    DROP TRIGGER keep_history_of_deletes ON {t};
                    DROP FUNCTION ailandscape_keep_{t}_history();
                    DROP TABLE {t}_history;
                    """);
            }
        }
    }
}

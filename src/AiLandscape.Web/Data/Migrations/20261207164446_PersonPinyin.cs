using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <summary>
    /// Issue 16: a person's pinyin (people.pinyin), kept in their history like every column of a kept table (ADR 0032)
    /// and in their search text, so that "li kaifu" and "likaifu" find Kai-Fu Lee as companies are found by theirs
    /// (migration SearchText). The seeded people receive their pinyin from the seed loader (dataset
    /// <c>SeedCorrections.PersonPinyinDatasetName</c>, ADR 0034), which writes through the same trigger.
    /// </summary>
    public partial class PersonPinyin : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "pinyin",
                table: "people",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            // ---- Hand-written SQL (EF does not model it; regenerating the Designer/snapshot leaves it as it is) ----

            // The history has the table's columns in the same order (ADR 0032): appended last in both.
            migrationBuilder.Sql("ALTER TABLE people_history ADD COLUMN pinyin character varying(200);");

            // The pinyin joins the names in the search text, loose (hyphens as spaces) and compact (no spaces), as the
            // companies' pinyin does. Without a pinyin the text is exactly what it was, so the rows stored before this
            // migration (every one has no pinyin yet: the column is new) already hold what the trigger gives, in the
            // table and in its history; rewriting them would only add a version of every person to the history.
            // The rows that get a pinyin later (the seed loader, an edit) are refreshed by this trigger as they are written.
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION people_search_text_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.search_text := CASE WHEN NEW.pinyin IS NULL
                        THEN ailandscape_loose_search_text(NEW.name_en, coalesce(NEW.name_zh, ''))
                        ELSE ailandscape_loose_search_text(NEW.name_en, coalesce(NEW.name_zh, ''), NEW.pinyin) END;
                    RETURN NEW;
                END $$;
                """);

            // The search box ranks a company first when one of its people's pinyin is the query exactly, as for their
            // names (migration PersonExactNameIndexes): an index answers it without reading every person. Its history
            // gets the same index, as migration AsOfFromHistory gave the history every index of its table.
            migrationBuilder.Sql("""
                CREATE INDEX ix_people_folded_pinyin ON people (ailandscape_unaccent(lower(pinyin)));
                CREATE INDEX h_ix_people_folded_pinyin ON people_history (ailandscape_unaccent(lower(pinyin)));
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // ---- Hand-written SQL ----
            migrationBuilder.Sql("""
                CREATE OR REPLACE FUNCTION people_search_text_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.search_text := ailandscape_loose_search_text(NEW.name_en, coalesce(NEW.name_zh, ''));
                    RETURN NEW;
                END $$;

                UPDATE people SET search_text = search_text WHERE pinyin IS NOT NULL;
                -- The history's deferred check, now: ALTER TABLE refuses a table with checks pending.
                SET CONSTRAINTS ex_people_history_one_version_at_a_time IMMEDIATE;
                DROP INDEX ix_people_folded_pinyin;
                DROP INDEX h_ix_people_folded_pinyin;
                ALTER TABLE people_history DROP COLUMN pinyin;
                -- Migrating up again gives the seeded people their pinyin again.
                DELETE FROM seed_history WHERE dataset = 'seed-person-pinyin-2026-12';
                """);

            // ---- Generated ----
            migrationBuilder.DropColumn(
                name: "pinyin",
                table: "people");
        }
    }
}

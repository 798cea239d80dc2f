using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace AiLandscape.Web.Data.Migrations
{
    /// <summary>
    /// Keeps companies.search_text and investors.search_text up to date in the database itself: every name and
    /// alias, lower-cased and unaccented, plus pinyin and English names without spaces ("yue zhi an mian" and
    /// "yuezhianmian" both match "Yuezhi Anmian"). Trigram GIN indexes on these columns serve typo-tolerant search.
    /// </summary>
    public partial class SearchText : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION ailandscape_search_text(VARIADIC parts text[]) RETURNS text
                LANGUAGE sql STABLE PARALLEL SAFE AS $$
                    SELECT lower(unaccent(array_to_string(parts, ' ') || ' ' ||
                                          replace(array_to_string(parts, ' '), ' ', '')))
                $$;

                CREATE FUNCTION companies_search_text_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.search_text := ailandscape_search_text(
                        NEW.name_en, coalesce(NEW.name_zh, ''), coalesce(NEW.pinyin, ''),
                        array_to_string(NEW.legal_names, ' '), array_to_string(NEW.aliases, ' '));
                    RETURN NEW;
                END $$;

                CREATE TRIGGER companies_search_text BEFORE INSERT OR UPDATE ON companies
                    FOR EACH ROW EXECUTE FUNCTION companies_search_text_refresh();

                CREATE FUNCTION investors_search_text_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    NEW.search_text := ailandscape_search_text(
                        NEW.name_en, coalesce(NEW.name_zh, ''), array_to_string(NEW.aliases, ' '));
                    RETURN NEW;
                END $$;

                CREATE TRIGGER investors_search_text BEFORE INSERT OR UPDATE ON investors
                    FOR EACH ROW EXECUTE FUNCTION investors_search_text_refresh();

                UPDATE companies SET search_text = search_text;
                UPDATE investors SET search_text = search_text;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS companies_search_text ON companies;
                DROP TRIGGER IF EXISTS investors_search_text ON investors;
                DROP FUNCTION IF EXISTS companies_search_text_refresh();
                DROP FUNCTION IF EXISTS investors_search_text_refresh();
                DROP FUNCTION IF EXISTS ailandscape_search_text(text[]);
                """);
        }
    }
}

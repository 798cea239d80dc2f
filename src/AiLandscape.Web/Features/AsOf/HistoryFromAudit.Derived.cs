using System.Text.Json;
using System.Text.Json.Nodes;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Investors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace AiLandscape.Web.Features.AsOf;

public static partial class HistoryFromAudit
{
    /// <summary>
    /// The derived columns of the versions from before migration KeptHistory (those it entered, <c>written_by</c> 0, and
    /// those rebuilt from the audit trail, 1), as the rules derive them at each instant. The audit trail records no
    /// change to a company's stored figures, an investor's or a round's USD amount: they move with other rows (a new
    /// round, an exchange rate), and the search text with the names. So those versions held the values of the day of the
    /// migration. Here each such version of a company, investor or round is cut at every instant where its derived
    /// values change, each piece computed by <see cref="CompanyFiguresUpdater"/>'s and
    /// <see cref="InvestorFiguresUpdater"/>'s own rules over the rows valid then (a <see cref="KnowledgeTimeDbContext"/>
    /// at that instant, on this connection and transaction); the search text of rebuilt versions is computed by the
    /// table's own trigger or generated column. Returns how many versions were written.
    /// </summary>
    public static async Task<int> RederiveAsync(AppDbContext db, CancellationToken ct = default)
    {
        // One connection throughout: the contexts of past instants share it, and the scratch tables live on it.
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var points = await ChangePointsAsync(db, ct);
            var written = 0;
            if (points.Count > 0)
            {
                // The current versions are among those cut: an edit on another instance (a rolling deploy) waits until
                // this commits, then closes the new piece, not the one this replaced. In the order a save takes them
                // (its rounds, then the companies' and investors' figures), so the two cannot deadlock.
                await db.Database.ExecuteSqlRawAsync("""
                    SELECT 1 FROM funding_rounds ORDER BY id FOR NO KEY UPDATE;
                    SELECT 1 FROM companies ORDER BY id FOR NO KEY UPDATE;
                    SELECT 1 FROM investors ORDER BY id FOR NO KEY UPDATE;
                    """, ct);
                var derived = await DeriveAtAsync(db, points, ct);
                foreach (var (table, versions) in derived)
                {
                    written += await CutAsync(db, table, versions, ct);
                }
            }
            return written + await SearchTextAsync(db, ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Each record's derived columns (as JSON, by column name), from each instant they changed; null is the start.</summary>
    private sealed class Derived : Dictionary<int, List<(DateTime? From, string Columns)>>
    {
        public void Add(int id, DateTime? from, JsonObject columns)
        {
            var text = columns.ToJsonString();
            if (!TryGetValue(id, out var list))
            {
                this[id] = list = [];
            }
            if (list.Count == 0 || list[^1].Columns != text)
            {
                list.Add((from, text));
            }
        }
    }

    /// <summary>The instants at which a version from before the migration begins or ends (a deletion), in any kept
    /// table, in order.</summary>
    private static async Task<List<DateTime>> ChangePointsAsync(AppDbContext db, CancellationToken ct)
    {
        // Table names from KeptHistory.Tables only.
        var versions = string.Join(" UNION ALL ", KeptHistory.Tables.Select(t => $"""
            SELECT lower(valid) AS at FROM {KeptHistory.HistoryOf(t)} WHERE written_by IN ({Migrated}, {Rebuilt}) AND NOT isempty(valid)
            UNION ALL
            SELECT upper(valid) FROM {KeptHistory.HistoryOf(t)} WHERE written_by IN ({Migrated}, {Rebuilt}) AND NOT isempty(valid)
            """));
        var select = $"""
            SELECT DISTINCT at AS "Value" FROM ({versions}) v WHERE at > '-infinity' AND at < 'infinity' ORDER BY 1
            """;
        return await db.Database.SqlQueryRaw<DateTime>(select).ToListAsync(ct);
    }

    private static async Task<Dictionary<string, Derived>> DeriveAtAsync(AppDbContext db, List<DateTime> points, CancellationToken ct)
    {
        var companies = new Derived();
        var rounds = new Derived();
        var investors = new Derived();
        var figures = db.Model.FindEntityType(typeof(Company))!.FindComplexProperty(nameof(Company.Figures))!.ComplexType;
        var round = db.Model.FindEntityType(typeof(FundingRound))!;
        var usd = round.FindProperty(nameof(FundingRound.AmountUsd))!.GetColumnName();
        var approximate = round.FindProperty(nameof(FundingRound.AmountUsdIsApproximate))!.GetColumnName();
        string Then(string table) => $"(SELECT * FROM {KeptHistory.HistoryOf(table)} WHERE valid @> @at)";
        var investorFigures = $"""
            WITH target AS (SELECT id FROM {Then("investors")} i),
            {InvestorFiguresUpdater.FiguresSql(Then("participations"), Then("investors"), Then("funding_rounds"))}
            SELECT f.id AS id, (to_jsonb(f) - 'id')::text AS columns FROM figures f
            """;
        var options = (DbContextOptions<AppDbContext>)db.GetService<IDbContextOptions>();
        // Before the first instant, what was known from the start: read a microsecond before it.
        foreach (var (at, from) in points.Select(p => (p, (DateTime?)p)).Prepend((points[0].AddTicks(-10), null)))
        {
            await using var then = new KnowledgeTimeDbContext(options, at);
            then.Database.SetDbConnection(db.Database.GetDbConnection());
            if (db.Database.CurrentTransaction is { } transaction)
            {
                await then.Database.UseTransactionAsync(transaction.GetDbTransaction(), ct);
            }
            var computed = await CompanyFiguresUpdater.ComputeAsync(then, companyIds: null, ct, withSpans: false);
            for (var i = 0; i < computed.Ids.Count; i++)
            {
                companies.Add(computed.Ids[i], from, Columns(figures, computed.Figures[i]));
            }
            foreach (var r in computed.Rounds)
            {
                rounds.Add(r.Id, from, new JsonObject { [usd] = r.Usd, [approximate] = r.Approximate });
            }
            var credited = await db.Database.SqlQueryRaw<InvestorColumns>(investorFigures, new NpgsqlParameter("at", at)).ToListAsync(ct);
            foreach (var i in credited)
            {
                investors.Add(i.Id, from, JsonNode.Parse(i.Columns)!.AsObject());
            }
        }
        return new() { ["companies"] = companies, ["funding_rounds"] = rounds, ["investors"] = investors };
    }

    private sealed record InvestorColumns(int Id, string Columns);

    /// <summary>The columns of a complex property's value, by column name, as the database stores them.</summary>
    private static JsonObject Columns(IComplexType type, object value)
    {
        var columns = new JsonObject();
        foreach (var property in type.GetProperties())
        {
            var v = property.PropertyInfo!.GetValue(value);
            if (v is not null && property.GetTypeMapping().Converter is { } converter)
            {
                v = converter.ConvertToProvider(v);
            }
            columns[property.GetColumnName()] = JsonSerializer.SerializeToNode(v);
        }
        return columns;
    }

    /// <summary>
    /// Replaces each version from before the migration of the table's records with its pieces: cut where the record's
    /// derived columns changed, each piece with the values from then. One statement; a version no value reaches (none
    /// should) is kept as it was.
    /// </summary>
    private static async Task<int> CutAsync(AppDbContext db, string table, Derived derived, CancellationToken ct)
    {
        var rows = derived.SelectMany(d => d.Value.Select(v => (Id: d.Key, v.From, v.Columns))).ToList();
        var history = KeptHistory.HistoryOf(table);
        // Table names from KeptHistory.Tables only.
        var cut = $"""
            WITH d AS (
                SELECT u.id, coalesce(u.at, '-infinity') AS at, u.columns,
                       lead(coalesce(u.at, '-infinity')) OVER (PARTITION BY u.id ORDER BY coalesce(u.at, '-infinity')) AS next_at
                FROM unnest(@ids, @ats, @columns) AS u(id, at, columns)
            ),
            old AS (
                DELETE FROM {history} h
                WHERE h.written_by IN ({Migrated}, {Rebuilt}) AND NOT isempty(h.valid) AND h.id IN (SELECT id FROM d)
                RETURNING h.*
            )
            INSERT INTO {history}
            SELECT tstzrange(greatest(lower(o.valid), d.at), least(upper(o.valid), d.next_at)), o.written_by, r.*
            FROM old o
            JOIN d ON d.id = o.id AND d.at < coalesce(upper(o.valid), 'infinity') AND coalesce(d.next_at, 'infinity') > lower(o.valid),
            LATERAL jsonb_populate_record(NULL::{table}, (to_jsonb(o) - 'valid' - 'written_by') || d.columns) r
            UNION ALL
            SELECT o.* FROM old o
            WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.id = o.id AND d.at < coalesce(upper(o.valid), 'infinity')
                                                 AND coalesce(d.next_at, 'infinity') > lower(o.valid))
            """;
        return await db.Database.ExecuteSqlRawAsync(cut,
            [
                new NpgsqlParameter("ids", rows.Select(r => r.Id).ToArray()),
                new NpgsqlParameter("ats", rows.Select(r => r.From).ToArray()),
                new NpgsqlParameter("columns", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Jsonb)
                {
                    Value = rows.Select(r => r.Columns).ToArray(),
                },
            ], ct);
    }

    /// <summary>
    /// The search text of the rebuilt versions, as the table computes it: each is entered into a scratch copy of the
    /// table that has the same generated column and the same search-text trigger, and its result copied back.
    /// </summary>
    private static async Task<int> SearchTextAsync(AppDbContext db, CancellationToken ct)
    {
        var written = 0;
        foreach (var table in KeptHistory.Tables)
        {
            var columns = await db.Database.SqlQueryRaw<TableColumn>("""
                SELECT column_name::text AS name, is_generated = 'ALWAYS' AS generated FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = @t ORDER BY ordinal_position
                """, new NpgsqlParameter("t", table)).ToListAsync(ct);
            if (!columns.Any(c => c.Name == "search_text"))
            {
                continue;
            }
            var triggers = await db.Database.SqlQueryRaw<string>("""
                SELECT p.proname::text AS "Value" FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
                WHERE t.tgrelid = @t::regclass AND NOT t.tgisinternal AND t.tgname LIKE '%search_text%'
                """, new NpgsqlParameter("t", table)).ToListAsync(ct);
            var entered = string.Join(", ", columns.Where(c => !c.Generated).Select(c => $"\"{c.Name}\""));
            var history = KeptHistory.HistoryOf(table);
            // Table, column and function names from the catalogue, for tables of KeptHistory.Tables only.
            var scratch = $"""
                DROP TABLE IF EXISTS pg_temp.rederived;
                CREATE TEMP TABLE rederived (LIKE {table} INCLUDING GENERATED, kept_valid tstzrange);
                {string.Concat(triggers.Select(f => $"CREATE TRIGGER {f} BEFORE INSERT ON rederived FOR EACH ROW EXECUTE FUNCTION {f}();\n"))}
                INSERT INTO rederived ({entered}, kept_valid)
                SELECT {string.Join(", ", columns.Where(c => !c.Generated).Select(c => $"r.\"{c.Name}\""))}, h.valid
                FROM {history} h, LATERAL jsonb_populate_record(NULL::{table}, to_jsonb(h) - 'valid' - 'written_by') r
                WHERE h.written_by = {Rebuilt};
                """;
            await db.Database.ExecuteSqlRawAsync(scratch, ct);
            var copy = $"""
                UPDATE {history} h SET search_text = d.search_text FROM rederived d
                WHERE h.written_by = {Rebuilt} AND h.id = d.id AND h.valid = d.kept_valid
                  AND h.search_text IS DISTINCT FROM d.search_text
                """;
            written += await db.Database.ExecuteSqlRawAsync(copy, ct);
            await db.Database.ExecuteSqlRawAsync("DROP TABLE pg_temp.rederived", ct);
        }
        return written;
    }

    private sealed record TableColumn(string Name, bool Generated);
}

using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace AiLandscape.Tests.Features.AsOf;

/// <summary>
/// Migration ValuationQualifierFigure fills the latest valuation's qualifier of a database from before it as
/// CompanyFiguresUpdater computes it: today's figures, each event-time span, and each kept version of a company as of
/// each instant it covers, cut where a valuation's qualifier changed without the company's row changing.
/// </summary>
public class ValuationQualifierBackfillTests
{
    [Fact]
    public async Task Migrating_a_database_from_before_the_stored_qualifier_fills_it_today_in_each_span_and_in_each_kept_version()
    {
        var pg = await TestPostgres.GetAsync();
        var connectionString = await pg.CreateDatabaseAsync("valuation_qualifier_backfill");
        var factory = TestPostgres.ContextFactory(connectionString);
        string previous;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var migrations = db.Database.GetMigrations().ToList();
            previous = migrations[migrations.FindIndex(m => m.EndsWith("_ValuationQualifierFigure", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(previous);
        }

        // Before the migration, an edit of Moonshot AI's latest valuation's qualifier alone: a new version of the
        // valuation, none of the company (its stored figures had no qualifier to change).
        DateTime before, after;
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync();
            before = await ScalarAsync<DateTime>(conn, "SELECT clock_timestamp()");
            await ScalarAsync<int>(conn, """
                UPDATE valuation_points SET qualifier = 'AtLeast'
                WHERE id = (SELECT v.id FROM valuation_points v JOIN companies c ON c.id = v.company_id
                            WHERE c.slug = 'moonshot-ai' AND NOT v.is_unverified ORDER BY v.valued_on DESC, v.id DESC LIMIT 1)
                RETURNING 1
                """);
            after = await ScalarAsync<DateTime>(conn, "SELECT clock_timestamp()");
        }

        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.GetService<IMigrator>().MigrateAsync();
        }

        await using var check = await factory.CreateDbContextAsync();
        var computed = await CompanyFiguresUpdater.ComputeAsync(check, companyIds: null, CancellationToken.None);
        // Today's figures and every span, as the C# rule computes them.
        var stored = await check.Companies.AsNoTracking().ToDictionaryAsync(c => c.Id, c => c.Figures.LatestValuationQualifier);
        Assert.Equal(computed.Ids.Zip(computed.Figures, (id, f) => (id, f.LatestValuationQualifier)).Order(),
            stored.Select(s => (s.Key, s.Value)).Order());
        var steps = await check.CompanyFigureSteps.AsNoTracking()
            .Select(s => new { s.CompanyId, s.FromOn, s.Figures.LatestValuationQualifier }).ToListAsync();
        Assert.Equal(computed.Steps.Select(s => (s.CompanyId, s.FromOn, s.Figures.LatestValuationQualifier)).Order(),
            steps.Select(s => (s.CompanyId, s.FromOn, s.LatestValuationQualifier)).Order());
        var moonshot = await check.Companies.SingleAsync(c => c.Slug == "moonshot-ai");
        Assert.Equal(FigureQualifier.AtLeast, moonshot.Figures.LatestValuationQualifier);
        Assert.Contains(stored.Values, q => q == FigureQualifier.Approximate);
        Assert.Contains(steps, s => s.CompanyId == moonshot.Id && s.LatestValuationQualifier == FigureQualifier.Approximate);
        Assert.Contains(steps, s => s.CompanyId == moonshot.Id && s.LatestValuationQualifier == FigureQualifier.Exact);

        // The kept versions: Moonshot AI's "about" until the edit, "at least" since; today's version is today's row.
        await using var read = new NpgsqlConnection(connectionString);
        await read.OpenAsync();
        const string then = "SELECT latest_valuation_qualifier FROM companies_history WHERE id = @id AND valid @> @at";
        Assert.Equal("Approximate", await ScalarAsync<string>(read, then, ("id", moonshot.Id), ("at", before)));
        Assert.Equal("AtLeast", await ScalarAsync<string>(read, then, ("id", moonshot.Id), ("at", after)));
        Assert.Equal(0L, await ScalarAsync<long>(read, """
            SELECT count(*) FROM companies c
            FULL JOIN (SELECT * FROM companies_history WHERE upper_inf(valid)) h ON h.id = c.id
            WHERE h.id IS NULL OR c.id IS NULL OR h.latest_valuation_qualifier <> c.latest_valuation_qualifier
            """));
        // Cut only there: the other columns of the two pieces are the one version's they came from.
        Assert.Equal(1L, await ScalarAsync<long>(read, """
            SELECT count(*) FROM companies_history a JOIN companies_history b ON b.id = a.id AND lower(b.valid) = upper(a.valid)
            WHERE a.id = @id AND a.latest_valuation_qualifier <> b.latest_valuation_qualifier
            """, ("id", moonshot.Id)));
        Assert.Equal(0L, await ScalarAsync<long>(read, """
            SELECT count(*) FROM companies_history a JOIN companies_history b ON b.id = a.id AND lower(b.valid) = upper(a.valid)
            WHERE a.written_by = b.written_by
              AND to_jsonb(a) - 'valid' - 'latest_valuation_qualifier' = to_jsonb(b) - 'valid' - 'latest_valuation_qualifier'
              AND a.latest_valuation_qualifier = b.latest_valuation_qualifier
            """));

        // And back: the migration's Down leaves the database as before it.
        await using (var db = await factory.CreateDbContextAsync())
        {
            await db.GetService<IMigrator>().MigrateAsync(previous);
            await db.GetService<IMigrator>().MigrateAsync();
        }
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        return (T)(await cmd.ExecuteScalarAsync())!;
    }
}

using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AiLandscape.Tests.Features.AsOf;

/// <summary>
/// A database created before migration AsOfFromHistory gets every company's event-time figure spans when the app
/// starts and applies it (ADR 0033): without them an event-time view would list no company at all. Likewise the
/// investors' spans of migration InvestorFigureSteps, without which the event-time dashboard would name no investor.
/// </summary>
public class FigureStepsBackfillTests
{
    [Fact]
    public async Task Starting_on_a_database_from_before_the_figure_spans_fills_them_for_every_company()
    {
        await using var services = await StartFromBeforeAsync("_AsOfFromHistory", "figure_steps_backfill");
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var companies = await db.Companies.CountAsync();
            Assert.Equal(companies, await db.CompanyFigureSteps.CountAsync(s => s.UntilOn == null));
            Assert.Equal(companies, await db.CompanyFigureSteps.CountAsync(s => s.FromOn == DateOnly.MinValue));
        }
        await using var then = await EventTimeAsync(services, new DateOnly(2025, 1, 1));
        var moonshot = await then.Companies.SingleAsync(c => c.Slug == "moonshot-ai");
        Assert.Equal(new DateOnly(2024, 8, 1), moonshot.Figures.LatestValuationOn);
    }

    [Fact]
    public async Task Starting_on_a_database_from_before_the_investor_spans_fills_them_for_every_investor_with_a_dated_round()
    {
        await using var services = await StartFromBeforeAsync("_InvestorFigureSteps", "investor_steps_backfill");
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // Each investor credited with a dated round has one open span, with its stored figures when none is undated.
            var dated = await db.Investors.Where(i => db.Participations.Any(p => (p.InvestorId == i.Id || p.Investor.ParentId == i.Id)
                && p.FundingRound.AnnouncedOn != null)).CountAsync();
            Assert.True(dated > 10, $"{dated} investors with dated rounds in the seed");
            Assert.Equal(dated, await db.InvestorFigureSteps.CountAsync(s => s.UntilOn == null));
            var tencent = await db.Investors.SingleAsync(i => i.Slug == "tencent");
            Assert.False(await db.Participations.AnyAsync(p => (p.InvestorId == tencent.Id || p.Investor.ParentId == tencent.Id)
                && p.FundingRound.AnnouncedOn == null), "the comparison below needs every Tencent round dated");
            var open = await db.InvestorFigureSteps.SingleAsync(s => s.InvestorId == tencent.Id && s.UntilOn == null);
            Assert.Equal((tencent.Figures.RoundCount, tencent.Figures.LeadCount, tencent.Figures.CompanyCount),
                (open.RoundCount, open.LeadCount, open.CompanyCount));
        }
        await using var then = await EventTimeAsync(services, new DateOnly(2023, 1, 1));
        var early = await then.InvestorFigureSteps.Join(then.Investors, s => s.InvestorId, i => i.Id, (s, i) => new { i.Slug, s.RoundCount })
            .SingleAsync(x => x.Slug == "tencent");
        Assert.InRange(early.RoundCount, 1, (await then.Investors.SingleAsync(i => i.Slug == "tencent")).Figures.RoundCount - 1);
    }

    /// <summary>A seeded database as it was before the named migration, then started by the app as it is now.</summary>
    private static async Task<ServiceProvider> StartFromBeforeAsync(string migration, string database)
    {
        var pg = await TestPostgres.GetAsync();
        var services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync(database));
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var previous = migrations[migrations.FindIndex(m => m.EndsWith(migration, StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(previous);
        }
        await services.MigrateAndSeedAsync();
        return services;
    }

    private static Task<AppDbContext> EventTimeAsync(ServiceProvider services, DateOnly day) =>
        new AsOfContexts(services.GetRequiredService<DbContextOptions<AppDbContext>>())
            .For(new AsOfView(day, AsOfMode.EventTime)).CreateDbContextAsync();
}

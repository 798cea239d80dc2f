using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AiLandscape.Tests.Features.AsOf;

/// <summary>
/// A database created before migration AsOfFromHistory gets every company's event-time figure spans when the app
/// starts and applies it (ADR 0033): without them an event-time view would list no company at all.
/// </summary>
public class FigureStepsBackfillTests
{
    [Fact]
    public async Task Starting_on_a_database_from_before_the_figure_spans_fills_them_for_every_company()
    {
        var pg = await TestPostgres.GetAsync();
        await using var services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("figure_steps_backfill"));
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var previous = migrations[migrations.FindIndex(m => m.EndsWith("_AsOfFromHistory", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(previous);
        }

        await services.MigrateAndSeedAsync();

        await using (var db = await factory.CreateDbContextAsync())
        {
            var companies = await db.Companies.CountAsync();
            Assert.Equal(companies, await db.CompanyFigureSteps.CountAsync(s => s.UntilOn == null));
            Assert.Equal(companies, await db.CompanyFigureSteps.CountAsync(s => s.FromOn == DateOnly.MinValue));
        }
        var view = new AsOfView(new DateOnly(2025, 1, 1), AsOfMode.EventTime);
        await using var then = await new AsOfContexts(services.GetRequiredService<DbContextOptions<AppDbContext>>())
            .For(view).CreateDbContextAsync();
        var moonshot = await then.Companies.SingleAsync(c => c.Slug == "moonshot-ai");
        Assert.Equal(new DateOnly(2024, 8, 1), moonshot.Figures.LatestValuationOn);
    }
}

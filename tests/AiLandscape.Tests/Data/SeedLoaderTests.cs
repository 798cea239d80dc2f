using AiLandscape.Web.Data;
using AiLandscape.Web.Data.Seed;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Data;

public class SeedLoaderTests
{
    [Fact]
    public async Task Migrating_and_seeding_twice_duplicates_nothing_and_keeps_later_edits()
    {
        var pg = await TestPostgres.GetAsync();
        await using var services = TestPostgres.BuildServices(await pg.CreateEmptyDatabaseAsync("seed_twice"));
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();

        await services.MigrateAndSeedAsync();
        var before = await Counts(factory);
        Assert.Equal(7, before.Companies);

        await using (var db = await factory.CreateDbContextAsync())
        {
            var moonshot = await db.Companies.SingleAsync(c => c.Slug == "moonshot-ai");
            moonshot.Summary = "Edited by an editor after seeding.";
            var round = await db.FundingRounds.FirstAsync(r => r.CompanyId == moonshot.Id);
            db.FundingRounds.Remove(round);
            await db.SaveChangesAsync();
        }

        await services.MigrateAndSeedAsync();

        var after = await Counts(factory);
        Assert.Equal(before with { Rounds = before.Rounds - 1 }, after);
        await using var check = await factory.CreateDbContextAsync();
        Assert.Equal("Edited by an editor after seeding.",
            await check.Companies.Where(c => c.Slug == "moonshot-ai").Select(c => c.Summary).SingleAsync());
        Assert.Equal(1, await check.SeedHistory.CountAsync(h => h.Dataset == SeedLoader.DatasetName));
    }

    [Fact]
    public async Task Two_instances_seeding_at_once_seed_once()
    {
        var pg = await TestPostgres.GetAsync();
        await using var services = TestPostgres.BuildServices(await pg.CreateEmptyDatabaseAsync("seed_race"));
        await using (var db = await services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync())
        {
            await db.Database.MigrateAsync();
        }
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        await Task.WhenAll(new SeedLoader(factory, logger).ApplyAsync(), new SeedLoader(factory, logger).ApplyAsync());

        Assert.Equal(7, (await Counts(factory)).Companies);
    }

    [Fact]
    public void The_embedded_dataset_loads_and_references_resolve()
    {
        var data = SeedDataset.LoadEmbedded();
        var sourceKeys = data.Sources.Select(s => s.Key).ToHashSet();
        var investors = data.Investors.Select(i => i.Slug).ToHashSet();
        Assert.Equal(7, data.Companies.Count);
        Assert.Contains("ARTICLE", sourceKeys);
        Assert.All(data.Companies.SelectMany(c => c.Rounds ?? []).SelectMany(r => r.Investors ?? []),
            p => Assert.Contains(p.Investor, investors));
        Assert.All(data.Companies.SelectMany(c => c.Rounds ?? []).SelectMany(r => r.Sources ?? []),
            s => Assert.Contains(s.Source, sourceKeys));
    }

    private sealed record TableCounts(int Companies, int Rounds, int Investors, int Sources, int Citations, int Rates);

    private static async Task<TableCounts> Counts(IDbContextFactory<AppDbContext> factory)
    {
        await using var db = await factory.CreateDbContextAsync();
        return new TableCounts(await db.Companies.CountAsync(), await db.FundingRounds.CountAsync(),
            await db.Investors.CountAsync(), await db.Sources.CountAsync(), await db.Citations.CountAsync(),
            await db.ExchangeRates.CountAsync());
    }
}

using AiLandscape.Web.Data;
using AiLandscape.Web.Data.Seed;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AiLandscape.Tests.Hosting;

/// <summary>
/// A database created before migration RoundUsdAmount gets every round's stored USD amount when the app starts and
/// applies it (ADR 0022): the rounds list adds up and sorts on that column, so an empty column would show US$0.
/// </summary>
public class RoundUsdBackfillTests
{
    [Fact]
    public async Task Starting_on_a_database_from_before_the_stored_usd_amount_fills_it_for_every_round()
    {
        var pg = await TestPostgres.GetAsync();
        await using var services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("round_usd_backfill"));
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // Back to the migration before RoundUsdAmount: its Down drops the column and the indexes.
            var migrations = db.Database.GetMigrations().ToList();
            var previous = migrations[migrations.FindIndex(m => m.EndsWith("_RoundUsdAmount", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(previous);
        }

        await services.MigrateAndSeedAsync();

        await using (var db = await factory.CreateDbContextAsync())
        {
            var converter = await CurrencyConverter.LoadAsync(db);
            var rounds = await db.FundingRounds.AsNoTracking().ToListAsync();
            Assert.Equal(27, rounds.Count);
            Assert.Contains(rounds, r => r.AmountUsd is not null);
            foreach (var r in rounds)
            {
                var added = FundingTotal.Added(new RoundAmount(r.Disclosure, r.Currency, r.Amount, r.AmountMin, r.AnnouncedOn, r.AnnouncedPrecision));
                var expected = added is { } a ? converter.ToUsd(a, r.Currency, r.AnnouncedOn, r.AnnouncedPrecision) : null;
                Assert.Equal(expected?.Usd, r.AmountUsd);
                Assert.Equal(expected?.IsApproximate ?? false, r.AmountUsdIsApproximate);
            }
        }
        var all = await new RoundService(factory).ListAsync(new RoundQuery());
        Assert.Equal(6_947_951_785m, all.Total.Usd);
    }

    [Fact]
    public async Task A_start_that_stopped_after_the_migration_fills_the_amounts_on_the_next_start()
    {
        var pg = await TestPostgres.GetAsync();
        await using var services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("round_usd_backfill_retry"));
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            // As after a start that applied RoundUsdAmount (which removes the "filled" record) and stopped before filling:
            // no migration is pending any more, yet the column is empty.
            await db.Database.ExecuteSqlRawAsync("UPDATE funding_rounds SET amount_usd = NULL");
            await db.SeedHistory.Where(h => h.Dataset == SeedLoader.RoundUsdAmountDatasetName).ExecuteDeleteAsync();
        }

        await services.MigrateAndSeedAsync();

        var all = await new RoundService(factory).ListAsync(new RoundQuery());
        Assert.Equal(6_947_951_785m, all.Total.Usd);
        await using var check = await factory.CreateDbContextAsync();
        Assert.True(await check.SeedHistory.AnyAsync(h => h.Dataset == SeedLoader.RoundUsdAmountDatasetName));
    }
}

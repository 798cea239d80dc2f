using AiLandscape.Web.Data;
using AiLandscape.Web.Data.Seed;
using AiLandscape.Web.Features.People;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace AiLandscape.Tests.Features.People;

/// <summary>
/// A database seeded before people had a pinyin (migration PersonPinyin) gets the seeded people's pinyin when the app
/// starts (ADR 0034), once, and only for people whose Chinese name is still the seed's; the search finds them by it.
/// </summary>
public class PersonPinyinBackfillTests
{
    [Fact]
    public async Task Starting_on_a_database_from_before_the_pinyin_gives_the_seeded_people_theirs_once_and_keeps_editors_changes()
    {
        var pg = await TestPostgres.GetAsync();
        var connection = await pg.CreateDatabaseAsync("person_pinyin_backfill");
        await using var services = TestPostgres.BuildServices(connection);
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            var migrations = db.Database.GetMigrations().ToList();
            var previous = migrations[migrations.FindIndex(m => m.EndsWith("_PersonPinyin", StringComparison.Ordinal)) - 1];
            await db.GetService<IMigrator>().MigrateAsync(previous);
            // An editor gave one seeded person another Chinese name before the upgrade: the seed's pinyin is not theirs.
            await db.Database.ExecuteSqlRawAsync("UPDATE people SET name_zh = '杨植麟 (edited)' WHERE slug = 'yang-zhilin'");
        }

        await services.MigrateAndSeedAsync();
        await services.MigrateAndSeedAsync(); // a second start gives nothing more

        await using (var db = await factory.CreateDbContextAsync())
        {
            var pinyin = await db.People.ToDictionaryAsync(p => p.Slug, p => p.Pinyin);
            Assert.Equal("Li Kaifu", pinyin["kai-fu-lee"]);
            Assert.Equal("Liang Wenfeng", pinyin["liang-wenfeng"]);
            Assert.Null(pinyin["yang-zhilin"]);
            Assert.Equal(SeedDataset.LoadPeople().Count(p => p.Pinyin is not null) - 1, pinyin.Values.Count(v => v is not null));
            Assert.Equal(1, await db.SeedHistory.CountAsync(h => h.Dataset == SeedCorrections.PersonPinyinDatasetName));
            // The kept history's current versions hold it too (the trigger wrote them), with the same columns.
            Assert.Equal("Li Kaifu", await db.Database.SqlQueryRaw<string>(
                "SELECT h.pinyin AS \"Value\" FROM people_history h JOIN people p ON p.id = h.id WHERE p.slug = 'kai-fu-lee' AND upper_inf(h.valid)")
                .SingleAsync());
        }

        // Every stored search text is what the trigger gives now: rewriting each changes none.
        await using (var conn = new NpgsqlConnection(connection))
        {
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            const string texts = "SELECT string_agg(search_text, '|' ORDER BY id) FROM people";
            await using var before = new NpgsqlCommand(texts, conn, tx);
            var stored = (string)(await before.ExecuteScalarAsync())!;
            await using var rewrite = new NpgsqlCommand("UPDATE people SET search_text = search_text", conn, tx);
            await rewrite.ExecuteNonQueryAsync();
            await using var after = new NpgsqlCommand(texts, conn, tx);
            Assert.Equal(stored, (string)(await after.ExecuteScalarAsync())!);
            await tx.RollbackAsync();
        }

        var people = new PersonService(factory);
        Assert.Equal("kai-fu-lee", Assert.Single((await people.ListAsync(new PersonQuery { Search = "likaifu" })).Items).Slug);
    }
}

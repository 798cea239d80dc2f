using AiLandscape.Web.Data;
using AiLandscape.Web.Data.Seed;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AiLandscape.Web.Hosting;

public static class DatabaseInitializer
{
    /// <summary>Applies committed migrations, then the seed dataset if this database has not had it yet.</summary>
    public static async Task MigrateAndSeedAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var factory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));

        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async () =>
            {
                // On a new database the history table does not exist yet; creating it first keeps EF from logging a
                // failed query (an alarming ERROR line on every first start).
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(ct);
                var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
                if (pending.Count > 0)
                {
                    logger.LogInformation("Applying {Count} migration(s): {Migrations}", pending.Count, pending);
                    await db.Database.MigrateAsync(ct);
                }
            });
        }

        await new SeedLoader(factory, logger).ApplyAsync(ct);
    }
}

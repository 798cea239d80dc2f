using AiLandscape.Web.Data;
using AiLandscape.Web.Data.Seed;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace AiLandscape.Web.Hosting;

public static class DatabaseInitializer
{
    /// <summary>
    /// Applies committed migrations, then the seed dataset if this database has not had it yet, then the app role's
    /// grants. With an owner connection (<see cref="DatabaseOwnerConnection"/>) all of that runs as the owner and the
    /// app's own role gets its privileges (ADR 0025); without one the app's connection does it all.
    /// </summary>
    public static async Task MigrateAndSeedAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var appFactory = services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var logger = loggers.CreateLogger(typeof(DatabaseInitializer));
        var owner = services.GetService<DatabaseOwnerConnection>()?.ConnectionString;
        string? appRole;
        await using (var app = await appFactory.CreateDbContextAsync(ct))
        {
            appRole = DatabasePrivileges.RoleOf(app.Database.GetConnectionString()!);
        }
        var separate = owner is not null && appRole is not null
            && !string.Equals(DatabasePrivileges.RoleOf(owner), appRole, StringComparison.Ordinal);
        IDbContextFactory<AppDbContext> factory = appFactory;
        if (separate)
        {
            var ownerOptions = new DbContextOptionsBuilder<AppDbContext>();
            ownerOptions.UseAppDatabase(owner!).UseLoggerFactory(loggers);
            factory = new FixedOptionsDbContextFactory(ownerOptions.Options);
        }

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

        if (separate)
        {
            await DatabasePrivileges.GrantAsync(owner!, appRole!, ct);
            logger.LogInformation("The app runs as the database role {Role}; migrations ran as its owner", appRole);
        }
        await using (var app = await appFactory.CreateDbContextAsync(ct))
        {
            if (await DatabasePrivileges.IsPrivilegedAsync(app, ct))
            {
                logger.LogWarning("The app connects to the database as a superuser or as the owner of its tables, so it " +
                    "could rewrite its own audit trail. Give it a role of its own and migrate with " +
                    "ConnectionStrings__{OwnerName} (see README, External PostgreSQL)", DatabaseSetup.OwnerConnectionName);
            }
        }
    }
}

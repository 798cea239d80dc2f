using AiLandscape.Web.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog.Extensions.Logging;

namespace AiLandscape.Web.Hosting;

public static class DatabaseSetup
{
    public const string ConnectionName = "AiLandscape";

    /// <summary>
    /// The owner's connection string (ConnectionStrings:AiLandscapeOwner): migrations, seeding and the app role's
    /// grants run on it; the app's own (ConnectionStrings:AiLandscape) is then a role that owns nothing. ADR 0025.
    /// </summary>
    public const string OwnerConnectionName = "AiLandscapeOwner";

    /// <summary>
    /// Registers the database: the configured server when ConnectionStrings:AiLandscape is set, otherwise an
    /// embedded PostgreSQL cluster started now and stopped when the app stops. The embedded cluster's app role runs
    /// the app and its superuser migrates; on a configured server ConnectionStrings:AiLandscapeOwner, when set,
    /// migrates.
    /// </summary>
    public static async Task AddAppDatabaseAsync(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName);
        var ownerConnectionString = builder.Configuration.GetConnectionString(OwnerConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var options = builder.Configuration.GetSection("EmbeddedPostgres").Get<EmbeddedPostgresOptions>()
                ?? new EmbeddedPostgresOptions();
            using var bootstrapLogs = new SerilogLoggerFactory(Serilog.Log.Logger);
            var embedded = await EmbeddedPostgres.StartAsync(options, bootstrapLogs.CreateLogger<EmbeddedPostgres>());
            connectionString = embedded.AppConnectionString;
            ownerConnectionString = embedded.ConnectionString;
            builder.Configuration[$"ConnectionStrings:{ConnectionName}"] = connectionString;
            builder.Configuration[$"ConnectionStrings:{OwnerConnectionName}"] = ownerConnectionString;
            // Registered before any other hosted service so that it stops last.
            builder.Services.AddSingleton(_ => embedded); // a factory registration, so disposing the app stops it too
            builder.Services.AddHostedService<EmbeddedPostgresLifetime>();
        }

        builder.Services.AddDbContextFactory<AppDbContext>(o => o.UseAppDatabase(connectionString));
        builder.Services.AddSingleton(new DatabaseOwnerConnection(
            string.IsNullOrWhiteSpace(ownerConnectionString) ? null : ownerConnectionString));

        builder.Services.AddDataProtection()
            .SetApplicationName("AiLandscape")
            .PersistKeysToDbContext<AppDbContext>();

        // Read pages and the read API take the keyed factory: the replica when ConnectionStrings:AiLandscapeRead is
        // set (ADR 0020), else this primary. Writes, accounts, editing pages and as-of views take the plain one.
        var readConnectionString = builder.Configuration.GetConnectionString(ReplicaReads.ConnectionName);
        var hasReplica = !string.IsNullOrWhiteSpace(readConnectionString);
        var routed = hasReplica ? ReplicaReads.RoutedConnectionString(readConnectionString!, connectionString) : null;
        builder.Services.AddSingleton(sp => new ReplicaReads(
            routed is null ? null : ReplicaReads.Options(routed, sp.GetRequiredService<ILoggerFactory>()),
            sp.GetRequiredService<ILogger<ReplicaReads>>()));
        builder.Services.AddKeyedScoped<IDbContextFactory<AppDbContext>, ReadDbContextFactory>(ReplicaReads.Key);

        var health = builder.Services.AddHealthChecks()
            .AddNpgSql(connectionString, name: "postgresql", tags: ["ready"]);
        if (hasReplica)
        {
            // A replica that is down makes the instance Degraded, not unready: reads fall back to the primary.
            health.AddNpgSql(readConnectionString!, name: "postgresql-replica", failureStatus: HealthStatus.Degraded,
                timeout: TimeSpan.FromSeconds(3),
                tags: ["ready"]);
        }
    }
}

public static class AppDatabaseOptions
{
    /// <summary>
    /// The app's database options (retry strategy included); the benchmark uses them too, so that it measures what
    /// the app runs.
    /// </summary>
    public static DbContextOptionsBuilder UseAppDatabase(this DbContextOptionsBuilder options, string connectionString) => options
        .UseNpgsql(connectionString, npgsql => npgsql.ExecutionStrategy(d => new AppExecutionStrategy(d)))
        .UseSnakeCaseNamingConvention()
        .AddInterceptors(new StorableTextInterceptor());
}

/// <summary>Stops the embedded cluster when the host shuts down.</summary>
internal sealed class EmbeddedPostgresLifetime(EmbeddedPostgres postgres, ILogger<EmbeddedPostgresLifetime> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await postgres.StopAsync();
        logger.LogInformation("Embedded PostgreSQL stopped; data kept in {DataDirectory}", postgres.ClusterDirectory);
    }
}

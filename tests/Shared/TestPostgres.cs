using AiLandscape.Web.Data;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AiLandscape.TestSupport;

/// <summary>
/// One throwaway PostgreSQL cluster per test run, started with the app's own embedded runner. A template database
/// is migrated and seeded once; each test gets a fresh copy of it (CREATE DATABASE ... TEMPLATE, ~50 ms), so tests
/// never see each other's writes and never re-run the seeder. Connection strings handed out are the superuser's (for
/// arranging and inspecting data); <see cref="AsAppRole"/> turns one into the app role's, which the app runs as
/// (<see cref="AppFactory"/> does), with the privileges the app grants it (ADR 0025), copied with the template.
/// </summary>
public sealed class TestPostgres : IAsyncDisposable
{
    private const string Template = "ailandscape_template";
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static TestPostgres? _shared;
    private static int _counter;

    private readonly EmbeddedPostgres _cluster;

    private TestPostgres(EmbeddedPostgres cluster) => _cluster = cluster;

    /// <summary>The seeded template. Tests read copies (<see cref="CreateDatabaseAsync"/>): a connection to the template,
    /// even one idle in the pool, makes every CREATE DATABASE from it fail while it lasts.</summary>
    public string TemplateConnectionString => _cluster.ConnectionString;

    public static async Task<TestPostgres> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null)
            {
                RemoveLeftoversOfEarlierRuns();
                var root = Path.Combine(Path.GetTempPath(), $"ailandscape-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");
                var cluster = await EmbeddedPostgres.StartAsync(
                    new EmbeddedPostgresOptions { DataDirectory = root, Database = Template, Throwaway = true },
                    NullLogger.Instance);
                var shared = new TestPostgres(cluster);
                await using (var services = BuildServices(cluster.ConnectionString))
                {
                    await services.MigrateAndSeedAsync();
                }
                await DatabasePrivileges.GrantAsync(cluster.ConnectionString, EmbeddedPostgres.AppRole);
                NpgsqlConnection.ClearAllPools();
                AppDomain.CurrentDomain.ProcessExit += (_, _) => shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
                _shared = shared;
            }
            return _shared;
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>A test run killed before its exit handler ran leaves its cluster folder behind: remove those.</summary>
    private static void RemoveLeftoversOfEarlierRuns()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "ailandscape-tests-*"))
        {
            var parts = Path.GetFileName(dir).Split('-');
            if (parts.Length > 2 && int.TryParse(parts[2], out var pid) && !ProcessIsAlive(pid))
            {
                try
                {
                    Directory.Delete(dir, recursive: true);
                }
                catch (IOException)
                {
                    // Best effort: a folder still in use is left for a later run.
                }
            }
        }
    }

    private static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>A new database holding the migrated schema and the seed dataset.</summary>
    public async Task<string> CreateDatabaseAsync(string? purpose = null)
    {
        var name = $"t{Interlocked.Increment(ref _counter)}_{(purpose ?? "test").ToLowerInvariant()}";
        name = new string(name.Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_').ToArray());
        if (name.Length > 60)
        {
            name = name[..60];
        }
        await using (var conn = new NpgsqlConnection(Admin("postgres")))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{Template}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        // Table grants come with the template; the database's own (CREATE for as-of schemas) do not.
        await DatabasePrivileges.GrantAsync(Admin(name), EmbeddedPostgres.AppRole);
        return Admin(name);
    }

    /// <summary>A new database with no schema at all, for migration and seeding tests.</summary>
    public async Task<string> CreateEmptyDatabaseAsync(string purpose)
    {
        var name = $"e{Interlocked.Increment(ref _counter)}_{purpose}".ToLowerInvariant();
        await using (var conn = new NpgsqlConnection(Admin("postgres")))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return Admin(name);
    }

    /// <summary>
    /// The app role's connection to the same database, when <paramref name="connectionString"/> is one of this run's
    /// cluster; any other (a replica test's own cluster) is returned as it is.
    /// </summary>
    public static string AsAppRole(string connectionString)
    {
        if (_shared is not { } shared)
        {
            return connectionString;
        }
        var given = new NpgsqlConnectionStringBuilder(connectionString);
        var app = new NpgsqlConnectionStringBuilder(shared._cluster.AppConnectionString);
        if (given.Port != app.Port || given.Host != app.Host)
        {
            return connectionString;
        }
        given.Username = app.Username;
        given.Password = app.Password;
        return given.ConnectionString;
    }

    /// <summary>
    /// The owner's connection to one test database. Each test class has its own database, and with the app role each has
    /// two pools (owner and app): idle connections of classes that are done close after 10 s instead of Npgsql's
    /// 300, or the run reaches the cluster's max_connections ("too many clients") before it ends.
    /// </summary>
    private string Admin(string database) =>
        new NpgsqlConnectionStringBuilder(_cluster.ConnectionString)
        {
            Database = database, ConnectionIdleLifetime = 10, ConnectionPruningInterval = 5,
        }.ConnectionString;

    public static ServiceProvider BuildServices(string connectionString, SqlCommandCounter? counter = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddDbContextFactory<AppDbContext>(o =>
        {
            o.UseNpgsql(connectionString).UseSnakeCaseNamingConvention();
            if (counter is not null)
            {
                o.AddInterceptors(counter);
            }
        });
        return services.BuildServiceProvider();
    }

    public static IDbContextFactory<AppDbContext> ContextFactory(string connectionString) =>
        BuildServices(connectionString).GetRequiredService<IDbContextFactory<AppDbContext>>();

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await _cluster.StopAsync();
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using AiLandscape.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AiLandscape.Benchmarks.Http;

/// <summary>What <see cref="ServeDatabase"/> writes for the harness once the database is up.</summary>
public sealed record ServedDatabase(string ConnectionString, int Scale, string CompanySlug,
    IReadOnlyList<string> CompareSlugs, string Counts);

/// <summary>
/// <c>serve-db --scale N --data-dir DIR --ready-file FILE</c>: a PostgreSQL cluster in DIR (kept between runs) with the
/// seed grown to N× (the benchmark's synthetic data, <see cref="BenchDatabase.CreateAsync"/>), built once and reused
/// by later runs; writes the connection string and the records the pages open to FILE, then keeps the cluster up
/// until SIGTERM or SIGINT. The app and the bare endpoint connect to it as to any external PostgreSQL.
/// </summary>
public static class ServeDatabase
{
    public static async Task<int> RunAsync(string[] args, TextWriter log)
    {
        var a = Args.Parse(args);
        var scale = a.Int("scale", 1000);
        var dataDir = Path.GetFullPath(a.String("data-dir", Path.Combine(Path.GetTempPath(), "ailandscape-http-bench")));
        var readyFile = a.String("ready-file", Path.Combine(dataDir, "ready.json"));
        Directory.CreateDirectory(dataDir);

        await using var cluster = await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions { DataDirectory = dataDir, Database = "bench" }, NullLogger.Instance);
        var served = await EnsureAsync(cluster.ConnectionString, scale, dataDir, log);
        File.Delete(readyFile);
        await File.WriteAllTextAsync(readyFile + ".tmp", JsonSerializer.Serialize(served));
        File.Move(readyFile + ".tmp", readyFile);
        await log.WriteLineAsync($"serve-db: {scale}x up ({served.Counts}); waiting for SIGTERM");

        var stop = new TaskCompletionSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
        File.Delete(readyFile);
        return 0;
    }

    /// <summary>Builds <c>bench_{scale}x</c> on the cluster unless a previous run finished building it.</summary>
    public static async Task<ServedDatabase> EnsureAsync(string clusterConnectionString, int scale, string markerDir,
        TextWriter log)
    {
        var marker = Path.Combine(markerDir, $"built-{scale}x");
        var connectionString = new NpgsqlConnectionStringBuilder(clusterConnectionString) { Database = $"bench_{scale}x" }.ConnectionString;
        if (!File.Exists(marker) || !await ExistsAsync(clusterConnectionString, $"bench_{scale}x"))
        {
            await log.WriteLineAsync($"serve-db: building {scale}x (minutes at 1,000x)...");
            var started = DateTime.UtcNow;
            await using var db = await BenchDatabase.CreateAsync(clusterConnectionString, scale, log);
            connectionString = db.ConnectionString;
            await File.WriteAllTextAsync(marker, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"serve-db: built in {(DateTime.UtcNow - started).TotalSeconds:N0} s"));
        }
        else
        {
            await log.WriteLineAsync($"serve-db: reusing {scale}x built {await File.ReadAllTextAsync(marker)}");
        }

        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        // The companies with the most rounds: the largest profile and the /compare set (the seed has only 7).
        var slugs = await BenchDatabase.CompaniesWithMostRoundsAsync(conn);
        var counts = await DataCounts.ReadAsync(conn);
        return new ServedDatabase(connectionString, scale, slugs[0], slugs, counts.ToString());
    }

    private static async Task<bool> ExistsAsync(string clusterConnectionString, string database)
    {
        await using var conn = new NpgsqlConnection(clusterConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn);
        cmd.Parameters.AddWithValue("n", database);
        return await cmd.ExecuteScalarAsync() is not null;
    }
}

/// <summary><c>--name value</c> pairs.</summary>
internal sealed class Args
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Args Parse(string[] args)
    {
        var a = new Args();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected --name value, got '{args[i]}'");
            }
            a._values[args[i][2..]] = args[++i];
        }
        return a;
    }

    public string String(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

    public string Required(string name) =>
        _values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");

    public int Int(string name, int fallback) =>
        _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
}

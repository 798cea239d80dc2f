using System.Net;
using System.Net.Sockets;

namespace AiLandscape.Faults;

/// <summary>What <see cref="ScaleOut"/> starts: where the database lives, nginx's port and limits, the apps' settings.</summary>
/// <param name="DataDirectory">PostgreSQL's cluster (pgdata/) and the apps' logs (logs/); kept between runs.</param>
/// <param name="ProxyPort">nginx's port on 127.0.0.1; 0 for a free one.</param>
/// <param name="RequestsPerSecond">nginx's limit_req rate per client address (tools/compose/nginx.conf: 20).</param>
/// <param name="Burst">Requests beyond the rate that nginx lets through at once (tools/compose/nginx.conf: 100).</param>
/// <param name="AppSettings">Environment settings of both instances over <see cref="ProductionLimits"/>.</param>
public sealed record ScaleOutOptions(string DataDirectory, int ProxyPort = 0, int RequestsPerSecond = 20, int Burst = 100,
    IReadOnlyDictionary<string, string?>? AppSettings = null)
{
    /// <summary>The apps' own per-client limits (appsettings), which the fault harness lifts for its runs.</summary>
    public static IReadOnlyDictionary<string, string?> ProductionLimits { get; } =
        AppInstance.LiftedClientLimits.ToDictionary(k => k, _ => (string?)null);
}

/// <summary>
/// tools/scaleout/run: one PostgreSQL (durable, in a folder of its own), two instances of the built app (Production
/// settings, the first one migrates and seeds the database) and Debian's nginx in front (the rules of
/// tools/compose/nginx.conf: sticky by client address, WebSocket upgrade, next upstream, per-client limit_req).
/// Disposing stops nginx, then the apps, then PostgreSQL.
/// </summary>
public sealed class ScaleOut : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _started = [];

    public required Cluster Database { get; init; }
    public required IReadOnlyList<AppInstance> Apps { get; init; }
    public required Nginx Proxy { get; init; }
    public required string LogDirectory { get; init; }

    public static async Task<ScaleOut> StartAsync(ScaleOutOptions options, TextWriter log)
    {
        if (options.ProxyPort != 0 && !PortIsFree(options.ProxyPort))
        {
            throw new InvalidOperationException($"Port {options.ProxyPort} on 127.0.0.1 is in use: pick another with --port.");
        }
        var started = new List<IAsyncDisposable>();
        try
        {
            var data = Path.GetFullPath(options.DataDirectory);
            var logs = Path.Combine(data, "logs");
            var fresh = !File.Exists(Path.Combine(data, "pgdata", "PG_VERSION"));
            await log.WriteLineAsync($"PostgreSQL: {(fresh ? "creating" : "starting")} the cluster in {Path.Combine(data, "pgdata")}");
            var database = await Cluster.OpenDurableAsync(data);
            started.Add(database);
            Directory.CreateDirectory(logs);
            await log.WriteLineAsync($"PostgreSQL: 127.0.0.1:{database.Port} (log {Path.Combine(data, "postgres.log")})");

            var settings = new Dictionary<string, string?>(ScaleOutOptions.ProductionLimits);
            foreach (var (k, v) in options.AppSettings ?? new Dictionary<string, string?>())
            {
                settings[k] = v;
            }
            var apps = new List<AppInstance>();
            for (var i = 1; i <= 2; i++)
            {
                var app = new AppInstance(database.ConnectionString(), logs, settings: settings);
                started.Add(app);
                apps.Add(app);
                await log.WriteLineAsync(i == 1 && fresh
                    ? $"app {i}: starting on {app.BaseAddress} (migrates and seeds the new database: a few minutes)"
                    : $"app {i}: starting on {app.BaseAddress}");
                await app.StartAsync(TimeSpan.FromMinutes(10));
            }

            var proxy = await Nginx.StartAsync(apps.Select(a => a.Port), options.RequestsPerSecond, options.Burst, options.ProxyPort);
            started.Add(proxy);
            await log.WriteLineAsync($"nginx: {proxy.BaseAddress} -> {string.Join(", ", apps.Select(a => a.BaseAddress))} "
                + $"(ip_hash, limit_req {options.RequestsPerSecond} r/s burst {options.Burst} per client)");
            await log.WriteLineAsync($"app logs: {logs}");
            var scaleOut = new ScaleOut { Database = database, Apps = apps, Proxy = proxy, LogDirectory = logs };
            scaleOut._started.AddRange(started);
            return scaleOut;
        }
        catch
        {
            await StopAsync(started);
            throw;
        }
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var l = new TcpListener(IPAddress.Loopback, port);
            l.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task StopAsync(List<IAsyncDisposable> started)
    {
        // Last started first: nginx stops taking requests, the apps finish theirs, then the database goes.
        for (var i = started.Count - 1; i >= 0; i--)
        {
            await started[i].DisposeAsync();
        }
        started.Clear();
    }

    public ValueTask DisposeAsync() => new(StopAsync(_started));
}

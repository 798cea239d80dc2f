using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AiLandscape.Faults;

/// <summary>
/// A durable PostgreSQL cluster of the harness's own (fsync on, as in production), which it can crash with
/// kill -9 and start again; the app under test connects to it with a connection string, as to any server.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private readonly string _bin;
    private readonly string _root;
    private readonly string? _runAs = Environment.UserName == "root" ? "postgres" : null;
    private bool _durable;
    private const string Password = "faults-harness-password";

    public int Port { get; } = FreePort();
    public string DataDirectory => Path.Combine(_root, "pgdata");

    public string ConnectionString(string database = "ailandscape") => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1", Port = Port, Username = "postgres", Password = Password, Database = database,
    }.ConnectionString;

    private Cluster(string bin, string root)
    {
        _bin = bin;
        _root = root;
    }

    public static async Task<Cluster> CreateAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "ailandscape-faults-" + Guid.NewGuid().ToString("N")[..8]);
        return await OpenAsync(root, durable: false);
    }

    /// <summary>
    /// A cluster kept in <paramref name="root"/> (tools/scaleout/run): made there on first use, started again from it
    /// later; stopped with a fast shutdown on dispose, and the folder kept.
    /// </summary>
    public static Task<Cluster> OpenDurableAsync(string root) => OpenAsync(Path.GetFullPath(root), durable: true);

    private static async Task<Cluster> OpenAsync(string root, bool durable)
    {
        var bin = Web.Hosting.EmbeddedPostgres.FindBinDirectory(null)
            ?? throw new InvalidOperationException("No PostgreSQL server binaries: apt-get install postgresql");
        // PATH may hold links to a few server programs only (initdb, pg_ctl, postgres): pg_basebackup sits beside their targets.
        if (!File.Exists(Path.Combine(bin, "pg_basebackup"))
            && new FileInfo(Path.Combine(bin, "initdb")).ResolveLinkTarget(returnFinalTarget: true) is { } target && Path.GetDirectoryName(target.FullName) is { } real)
        {
            bin = real;
        }
        var cluster = new Cluster(bin, root) { _durable = durable };
        if (File.Exists(Path.Combine(cluster.DataDirectory, "PG_VERSION")))
        {
            cluster.Start();
            return cluster;
        }
        Directory.CreateDirectory(root);
        var pwfile = Path.Combine(root, "pw");
        await File.WriteAllTextAsync(pwfile, Password);
        if (cluster._runAs is not null)
        {
            Run("chown", ["-R", "postgres:", root]);
        }
        cluster.Tool("initdb", "-D", cluster.DataDirectory, "-U", "postgres", "--pwfile=" + pwfile, "-A", "scram-sha-256",
            "-E", "UTF8", "--locale=C.UTF-8");
        File.Delete(pwfile);
        cluster.Start();
        await using var conn = new NpgsqlConnection(cluster.ConnectionString("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("CREATE DATABASE ailandscape", conn);
        await cmd.ExecuteNonQueryAsync();
        return cluster;
    }

    public void Start()
    {
        try
        {
            Tool("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(_root, "postgres.log"), "-w", "-t", "120",
                "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_root} -c max_connections=300", "start");
        }
        catch (InvalidOperationException ex)
        {
            var tail = File.ReadLines(Path.Combine(_root, "postgres.log")).TakeLast(15);
            throw new InvalidOperationException(ex.Message + "\npostgres.log:\n" + string.Join('\n', tail), ex);
        }
    }

    /// <summary>
    /// A streaming replica of this cluster on a port of its own: <c>pg_basebackup -R</c> (a standby that follows
    /// this primary, read-only, hot standby on), then started. Stop it with <see cref="StopImmediate"/>.
    /// </summary>
    public async Task<Cluster> CreateReplicaAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "ailandscape-faults-replica-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        var replica = new Cluster(_bin, root);
        if (_runAs is not null)
        {
            Run("chown", ["-R", "postgres:", root]);
        }
        try
        {
            await Task.Run(() => replica.Tool("pg_basebackup", "-d", $"host=127.0.0.1 port={Port} user=postgres password={Password}",
                "-D", replica.DataDirectory, "-R", "-X", "stream", "-c", "fast"));
            replica.Start();
            return replica;
        }
        catch
        {
            await replica.DisposeAsync(); // nothing left behind in /tmp
            throw;
        }
    }

    /// <summary>pg_ctl stop -m immediate: the server goes away at once, its clients' connections break.</summary>
    public void StopImmediate() => Tool("pg_ctl", "-D", DataDirectory, "-m", "immediate", "-w", "stop");

    public void RestartFast() => Tool("pg_ctl", "-D", DataDirectory, "-m", "fast", "-w", "-t", "120", "restart",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -k {_root} -c max_connections=300");

    /// <summary>
    /// A crash: SIGKILL to the postmaster and every backend at once (each backend leads its own process group, so
    /// they are named one by one). Where the machine's init does not reap orphans (some containers), the dead
    /// postmaster stays a zombie that PostgreSQL would take for a live one in postmaster.pid and the socket's lock file; then
    /// those are removed, which is what a reaped pid gives PostgreSQL anyway.
    /// </summary>
    public void Crash()
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        var pid = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
        var children = Directory.GetDirectories("/proc").Select(Path.GetFileName)
            .Select(d => int.TryParse(d, out var p) ? p : 0).Where(p => p > 0 && ParentOf(p) == pid).ToList();
        Run("kill", ["-9", pid.ToString(CultureInfo.InvariantCulture), .. children.Select(c => c.ToString(CultureInfo.InvariantCulture))], ignoreFailure: true);
        while (Web.Hosting.EmbeddedPostgres.IsPostgres(pid) || children.Any(Web.Hosting.EmbeddedPostgres.IsPostgres))
        {
            Thread.Sleep(20);
        }
        if (File.Exists($"/proc/{pid}/stat"))
        {
            // an unreaped zombie (see above): its lock files name it
            File.Delete(pidFile);
            File.Delete(Path.Combine(_root, $".s.PGSQL.{Port}.lock"));
        }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try
        {
            // A durable cluster shuts down cleanly (a checkpoint, no recovery at the next start); a throwaway one at once.
            Tool("pg_ctl", "-D", DataDirectory, "-m", _durable ? "fast" : "immediate", "-w", "-t", "120", "stop");
        }
        catch (InvalidOperationException)
        {
            // not running
        }
        if (_durable)
        {
            return;
        }
        await Task.Run(() =>
        {
            if (Directory.Exists(_root))
            {
                Directory.Delete(_root, recursive: true);
            }
        });
    }

    private void Tool(string tool, params string[] args)
    {
        var file = Path.Combine(_bin, tool);
        Run(_runAs is null ? file : "runuser", _runAs is null ? args : ["-u", _runAs, "--", file, .. args]);
    }

    private static void Run(string file, string[] args, bool ignoreFailure = false)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0 && !ignoreFailure)
        {
            Task.WaitAll([stderr, stdout], TimeSpan.FromSeconds(2));
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({p.ExitCode}): {stdout.Result}{stderr.Result}");
        }
    }

    internal static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

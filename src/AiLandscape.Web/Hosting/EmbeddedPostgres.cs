using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace AiLandscape.Web.Hosting;

public sealed class EmbeddedPostgresOptions
{
    /// <summary>Folder holding the cluster, its password and log. Default: see <see cref="EmbeddedPostgres.DefaultDataRoot"/>.</summary>
    public string? DataDirectory { get; set; }
    /// <summary>Folder with initdb and pg_ctl. Default: PATH, <c>pg_config --bindir</c>, /usr/lib/postgresql/*/bin.</summary>
    public string? BinDirectory { get; set; }
    public string Database { get; set; } = "ailandscape";
    /// <summary>Throwaway clusters (tests) skip durability and are deleted when stopped.</summary>
    public bool Throwaway { get; set; }
}

public sealed class EmbeddedPostgresUnavailableException(string message) : Exception(message);

/// <summary>
/// Runs a private PostgreSQL cluster from the machine's PostgreSQL binaries, so the app needs no setup.
/// The cluster persists in a per-user folder; it listens on loopback only, on a free port, with a generated password.
/// One app process owns the cluster at a time (an exclusive lock on <c>owner.lock</c> in the data folder, which the
/// kernel releases when the process dies however it dies): a second process on the same folder fails fast; a
/// postmaster left running by an owner that was killed is stopped and started again under the new owner; a stale
/// <c>postmaster.pid</c> is removed; a watchdog outside the app's process group stops the postmaster when the app
/// process disappears without stopping it (kill -9, a test host torn down). See ADR 0018.
/// </summary>
public sealed class EmbeddedPostgres : IAsyncDisposable
{
    private const string SuperUser = "postgres";

    /// <summary>
    /// The role the app runs as (ADR 0025): not a superuser, owns no table; the superuser migrates and grants it
    /// what it needs (<see cref="DatabasePrivileges"/>). Its password is generated beside the superuser's.
    /// </summary>
    public const string AppRole = "ailandscape_app";
    private readonly string _binDir;
    private readonly string _root;
    private readonly string? _runAs;
    private readonly bool _throwaway;
    private bool _startedByUs;
    private FileStream? _ownerLock;
    private Process? _watchdog;

    public string DataRoot => _root;
    public string ClusterDirectory => Path.Combine(_root, "pgdata");
    public int Port { get; private set; }
    /// <summary>The superuser's connection: migrations, seeding, grants (and tests' and benchmarks' set-up).</summary>
    public string ConnectionString { get; private set; } = "";
    /// <summary>The app role's connection to the same database: what the app runs its reads and writes as.</summary>
    public string AppConnectionString { get; private set; } = "";

    private EmbeddedPostgres(string binDir, string root, bool throwaway)
    {
        _binDir = binDir;
        _root = root;
        _throwaway = throwaway;
        // initdb and postgres refuse to run as root: hand them to the postgres OS user.
        _runAs = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root" ? SuperUser : null;
    }

    public static async Task<EmbeddedPostgres> StartAsync(EmbeddedPostgresOptions options, ILogger logger,
        CancellationToken ct = default)
    {
        var binDir = FindBinDirectory(options.BinDirectory)
            ?? throw new EmbeddedPostgresUnavailableException(
                "No PostgreSQL server binaries (initdb, pg_ctl) found. Install PostgreSQL (Debian/Ubuntu: " +
                "'apt-get install postgresql'), or set ConnectionStrings__AiLandscape to an existing server, " +
                "or run 'docker compose up' (see README).");
        var root = Path.GetFullPath(options.DataDirectory ?? DefaultDataRoot());
        var pg = new EmbeddedPostgres(binDir, root, options.Throwaway);
        await pg.StartClusterAsync(options.Database, logger, ct);
        return pg;
    }

    /// <summary>
    /// $AILANDSCAPE_DATA_DIR, else /var/lib/ailandscape for root (root's home is closed to the postgres user),
    /// else $XDG_DATA_HOME/ailandscape or ~/.local/share/ailandscape.
    /// </summary>
    public static string DefaultDataRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("AILANDSCAPE_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return fromEnv;
        }
        if (Environment.UserName == "root")
        {
            return "/var/lib/ailandscape";
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDir = !string.IsNullOrWhiteSpace(xdg)
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(baseDir, "ailandscape");
    }

    public static string? FindBinDirectory(string? configured)
    {
        static bool HasServer(string? dir) =>
            !string.IsNullOrEmpty(dir) && File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl"));

        if (!string.IsNullOrWhiteSpace(configured))
        {
            return HasServer(configured) ? configured : null;
        }
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (HasServer(dir))
            {
                // A PATH folder may hold only links (/usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb):
                // the server's other programs (postgres, pg_basebackup) are beside the target, not the link.
                var target = new FileInfo(Path.Combine(dir, "initdb")).ResolveLinkTarget(returnFinalTarget: true);
                var real = target is null ? null : Path.GetDirectoryName(target.FullName);
                return real is not null && HasServer(real) ? real : dir;
            }
        }
        try
        {
            var (code, output) = RunCaptured("pg_config", ["--bindir"], runAs: null);
            if (code == 0 && HasServer(output.Trim()))
            {
                return output.Trim();
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // pg_config is not installed; fall through to the usual Debian folder.
        }
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            return Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(HasServer)
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault();
        }
        return null;
    }

    private async Task StartClusterAsync(string database, ILogger logger, CancellationToken ct)
    {
        var socketDir = Path.Combine(_root, "run");
        var passwordFile = Path.Combine(_root, "password");
        var appPasswordFile = Path.Combine(_root, "app-password");
        var logFile = Path.Combine(_root, "postgres.log");
        Directory.CreateDirectory(_root);
        Directory.CreateDirectory(socketDir);
        AcquireOwnership();
        if (_runAs is not null)
        {
            MakeReachableFor(_runAs, _root);
        }

        foreach (var file in new[] { passwordFile, appPasswordFile })
        {
            if (!File.Exists(file))
            {
                await File.WriteAllTextAsync(file, Convert.ToHexString(RandomNumberGenerator.GetBytes(24)), ct);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }
        }
        if (_runAs is not null)
        {
            Chown(_runAs, _root, recursive: true);
        }
        var password = (await File.ReadAllTextAsync(passwordFile, ct)).Trim();
        var appPassword = (await File.ReadAllTextAsync(appPasswordFile, ct)).Trim();

        if (!File.Exists(Path.Combine(ClusterDirectory, "PG_VERSION")))
        {
            logger.LogInformation("Creating the embedded PostgreSQL cluster in {DataDirectory}", ClusterDirectory);
            Run("initdb", ["-D", ClusterDirectory, "-U", SuperUser, "--pwfile=" + passwordFile, "-A", "scram-sha-256",
                "-E", "UTF8", "--locale=C.UTF-8"]);
        }

        StopLeftoverPostmaster(logger);
        Port = FreeLoopbackPort();
        var settings = $"-p {Port} -c listen_addresses=127.0.0.1 -k {socketDir}";
        if (_throwaway)
        {
            // Tests open a database (and a connection pool) per test class: allow many idle connections.
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=600";
        }
        Run("pg_ctl", ["-D", ClusterDirectory, "-l", logFile, "-w", "-t", "60", "-o", settings, "start"]);
        _startedByUs = true;
        StartWatchdog(ReadPostmasterPid() ?? throw new InvalidOperationException(
            $"PostgreSQL started but wrote no postmaster.pid in {ClusterDirectory}"));
        logger.LogInformation("Embedded PostgreSQL started on 127.0.0.1:{Port}; data in {DataDirectory}", Port,
            ClusterDirectory);

        var admin = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = Port, Username = SuperUser, Password = password, Database = "postgres",
            Pooling = false,
        };
        await using (var conn = new NpgsqlConnection(admin.ConnectionString))
        {
            await conn.OpenAsync(ct);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", conn);
            exists.Parameters.AddWithValue("name", database);
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", conn);
                await create.ExecuteNonQueryAsync(ct);
            }
            // The app's own login (cluster-wide), made on every start so that a cluster created before it gets it too.
            // The password is hex digits: safe as a literal (CREATE ROLE takes no parameters).
            await using var role = new NpgsqlCommand($"""
                DO $$ BEGIN
                    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{AppRole}') THEN
                        CREATE ROLE {AppRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '{appPassword}';
                    ELSE
                        ALTER ROLE {AppRole} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '{appPassword}';
                    END IF;
                END $$
                """, conn);
            await role.ExecuteNonQueryAsync(ct);
        }
        admin.Database = database;
        admin.Pooling = true;
        ConnectionString = admin.ConnectionString;
        AppConnectionString = new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Username = AppRole, Password = appPassword,
        }.ConnectionString;
    }

    /// <summary>
    /// Takes the data folder for this process, or fails with what to do when another process holds it. The lock is
    /// an OS file lock (flock), so a killed owner never leaves it behind; owner.pid only names the holder.
    /// </summary>
    private void AcquireOwnership()
    {
        var lockFile = Path.Combine(_root, "owner.lock");
        var pidFile = Path.Combine(_root, "owner.pid");
        try
        {
            _ownerLock = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var holder = File.Exists(pidFile) ? File.ReadAllText(pidFile).Trim() : "unknown";
            throw new EmbeddedPostgresUnavailableException(
                $"Another AiLandscape process (pid {holder}) is running the embedded PostgreSQL in {_root}. " +
                "Stop it first, give this instance its own folder (AILANDSCAPE_DATA_DIR), or run every instance " +
                "against one PostgreSQL server (ConnectionStrings__AiLandscape; see README, Scale out).");
        }
        File.WriteAllText(pidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Called while holding the folder: a live postmaster here was left by an owner that died (its watchdog too),
    /// so stop it (fast shutdown: committed work is kept) before starting ours. A postmaster.pid naming a process
    /// that is not a postgres (the pid was reused after a crash, common in containers) would make PostgreSQL refuse
    /// to start, so it is removed.
    /// </summary>
    private void StopLeftoverPostmaster(ILogger logger)
    {
        var pidFile = Path.Combine(ClusterDirectory, "postmaster.pid");
        if (ReadPostmasterPid() is not int pid)
        {
            return;
        }
        if (IsPostgres(pid))
        {
            logger.LogWarning("An embedded PostgreSQL (pid {Pid}) was still running in {DataDirectory}, left by an app " +
                "process that did not stop it; stopping it and starting it again under this process", pid, ClusterDirectory);
            var (code, output) = RunCaptured(Path.Combine(_binDir, "pg_ctl"),
                ["-D", ClusterDirectory, "-m", "fast", "-w", "-t", "60", "stop"], _runAs);
            if (code != 0 && IsPostgres(pid))
            {
                throw new InvalidOperationException($"Could not stop the leftover PostgreSQL (pid {pid}): {output.Trim()}");
            }
        }
        else if (File.Exists(pidFile))
        {
            logger.LogInformation("Removing a stale postmaster.pid (pid {Pid} is not a running PostgreSQL)", pid);
            File.Delete(pidFile);
        }
    }

    private int? ReadPostmasterPid()
    {
        var pidFile = Path.Combine(ClusterDirectory, "postmaster.pid");
        try
        {
            var first = File.Exists(pidFile) ? File.ReadLines(pidFile).FirstOrDefault() : null;
            return int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Whether the process is alive and runs the postgres executable (Linux /proc; elsewhere: exists).</summary>
    public static bool IsPostgres(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            if (p.HasExited)
            {
                return false;
            }
        }
        catch (ArgumentException)
        {
            return false;
        }
        try
        {
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat))
            {
                return true; // no /proc (not Linux): the process exists, take it for what the pid file says
            }
            // "pid (comm) state ...": a zombie (Z) or dead (X) process is gone; the name must be postgres.
            var text = File.ReadAllText(stat);
            var close = text.LastIndexOf(')');
            var open = text.IndexOf('(', StringComparison.Ordinal);
            var name = text[(open + 1)..close];
            var state = text[(close + 2)..].FirstOrDefault();
            return name == "postgres" && state is not 'Z' and not 'X';
        }
        catch (IOException)
        {
            return false; // exited while we looked
        }
    }

    /// <summary>
    /// A tiny shell loop in its own session (so a kill of the app's process group spares it) that waits for this
    /// process to disappear and then asks the postmaster for a fast shutdown, deleting a throwaway cluster's folder
    /// once the postmaster is gone. A clean stop kills the watchdog last.
    /// </summary>
    private void StartWatchdog(int postmasterPid)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        var script = "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; " +
                     "kill -INT \"$2\" 2>/dev/null; while kill -0 \"$2\" 2>/dev/null; do sleep 0.2; done; " +
                     "if [ \"$3\" = throwaway ]; then rm -rf -- \"$4\"; fi";
        var psi = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false, RedirectStandardInput = false, WorkingDirectory = "/",
        };
        foreach (var a in new[] { "sh", "-c", script, "ailandscape-pg-watchdog", Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
                     postmasterPid.ToString(CultureInfo.InvariantCulture), _throwaway ? "throwaway" : "keep", _root })
        {
            psi.ArgumentList.Add(a);
        }
        _watchdog = Process.Start(psi);
    }

    public async Task StopAsync()
    {
        if (_startedByUs)
        {
            _startedByUs = false;
            await Task.Run(() => RunCaptured(Path.Combine(_binDir, "pg_ctl"),
                ["-D", ClusterDirectory, "-m", "fast", "-w", "-t", "30", "stop"], _runAs));
        }
        if (_throwaway && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
        // Last: should this process be killed while stopping (a test host torn down in its exit handler), the
        // watchdog still finishes the job.
        if (_watchdog is { } watchdog)
        {
            _watchdog = null;
            try
            {
                watchdog.Kill();
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
            watchdog.Dispose();
        }
        _ownerLock?.Dispose();
        _ownerLock = null;
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private void Run(string tool, string[] args)
    {
        var (code, output) = RunCaptured(Path.Combine(_binDir, tool), args, _runAs);
        if (code != 0)
        {
            throw new InvalidOperationException($"{tool} failed with exit code {code}: {output.Trim()}");
        }
    }

    private static (int Code, string Output) RunCaptured(string file, IEnumerable<string> args, string? runAs)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (runAs is null)
        {
            psi.FileName = file;
        }
        else
        {
            psi.FileName = "runuser";
            foreach (var a in new[] { "-u", runAs, "--", file })
            {
                psi.ArgumentList.Add(a);
            }
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        // pg_ctl start leaves the server holding inherited pipes; read to the end only what the tool itself wrote.
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        var done = Task.WhenAll(stdout, stderr).Wait(TimeSpan.FromSeconds(2));
        return (p.ExitCode, done ? stdout.Result + stderr.Result : "");
    }

    private static void Chown(string user, string path, bool recursive)
    {
        var args = recursive ? new[] { "-R", $"{user}:", path } : new[] { $"{user}:", path };
        var (code, output) = RunCaptured("chown", args, runAs: null);
        if (code != 0)
        {
            throw new InvalidOperationException($"chown {path} failed: {output.Trim()}");
        }
    }

    /// <summary>Every folder on the way to the data must be traversable by the postgres user.</summary>
    private static void MakeReachableFor(string user, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        for (var dir = Path.GetDirectoryName(path); !string.IsNullOrEmpty(dir) && dir != "/"; dir = Path.GetDirectoryName(dir))
        {
            var mode = File.GetUnixFileMode(dir);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                throw new EmbeddedPostgresUnavailableException(
                    $"The data folder {path} is inside {dir}, which the '{user}' user cannot enter. " +
                    "Set AILANDSCAPE_DATA_DIR (or EmbeddedPostgres:DataDirectory) to a folder outside it.");
            }
        }
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

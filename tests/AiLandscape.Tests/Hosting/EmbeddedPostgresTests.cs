using System.Diagnostics;
using System.Globalization;
using AiLandscape.Web.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AiLandscape.Tests.Hosting;

/// <summary>
/// The embedded cluster belongs to one app process: what a user meets when a second instance starts on the same
/// folder, when an earlier app was killed and left its PostgreSQL running, or when a crash left a stale pid file.
/// </summary>
public sealed class EmbeddedPostgresTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ailandscape-embedded-" + Guid.NewGuid().ToString("N"));
    private readonly List<Process> _strays = [];

    private EmbeddedPostgresOptions Options => new() { DataDirectory = _root, Database = "ownership" };

    [Fact]
    public void The_binaries_found_on_the_PATH_are_the_server_folder_itself_not_a_folder_of_links_to_it()
    {
        var linkDir = Directory.CreateTempSubdirectory("pg-links-").FullName;
        var real = EmbeddedPostgres.FindBinDirectory(null)!;
        File.CreateSymbolicLink(Path.Combine(linkDir, "initdb"), Path.Combine(real, "initdb"));
        File.CreateSymbolicLink(Path.Combine(linkDir, "pg_ctl"), Path.Combine(real, "pg_ctl"));
        var path = Environment.GetEnvironmentVariable("PATH");
        try
        {
            Environment.SetEnvironmentVariable("PATH", linkDir + Path.PathSeparator + path);
            var found = EmbeddedPostgres.FindBinDirectory(null)!;
            Assert.NotEqual(linkDir, found);
            Assert.True(File.Exists(Path.Combine(found, "postgres")), $"no postgres program beside initdb in {found}");
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
            Directory.Delete(linkDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_second_instance_on_the_same_folder_fails_fast_saying_what_to_do_and_the_first_keeps_working()
    {
        await using var first = await EmbeddedPostgres.StartAsync(Options, NullLogger.Instance);

        var refused = await Assert.ThrowsAsync<EmbeddedPostgresUnavailableException>(
            () => EmbeddedPostgres.StartAsync(Options, NullLogger.Instance));
        Assert.Contains($"pid {Environment.ProcessId}", refused.Message);
        Assert.Contains(_root, refused.Message);
        Assert.Contains("AILANDSCAPE_DATA_DIR", refused.Message);

        Assert.Equal(1, await ScalarAsync(first.ConnectionString, "SELECT 1"));

        await first.StopAsync();
        await using var second = await EmbeddedPostgres.StartAsync(Options, NullLogger.Instance);
        Assert.Equal(1, await ScalarAsync(second.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task A_postmaster_left_running_by_a_dead_app_is_restarted_under_the_new_one_with_its_data()
    {
        var first = await EmbeddedPostgres.StartAsync(Options, NullLogger.Instance);
        await ExecuteAsync(first.ConnectionString, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('before the crash')");
        await first.StopAsync();
        // What an app killed together with its watchdog leaves behind: the cluster running with nobody owning it.
        var orphanPort = FreePort();
        PgCtl("-D", first.ClusterDirectory, "-l", Path.Combine(_root, "orphan.log"), "-w", "-o",
            $"-p {orphanPort} -c listen_addresses=127.0.0.1 -k {Path.Combine(_root, "run")}", "start");
        var orphanPid = PostmasterPid(first.ClusterDirectory);
        Assert.True(EmbeddedPostgres.IsPostgres(orphanPid));

        var log = new ListLogger();
        var second = await EmbeddedPostgres.StartAsync(Options, log);
        Assert.False(EmbeddedPostgres.IsPostgres(orphanPid), "the leftover postmaster was stopped");
        Assert.Contains(log.Messages, m => m.Contains("still running", StringComparison.Ordinal) && m.Contains(orphanPid.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        Assert.Equal("before the crash", await ScalarAsync(second.ConnectionString, "SELECT note FROM kept"));

        var ownPid = PostmasterPid(second.ClusterDirectory);
        await second.StopAsync();
        // pg_ctl returns once the postmaster has removed its pid file, a moment before the process itself is gone.
        for (var i = 0; i < 100 && EmbeddedPostgres.IsPostgres(ownPid); i++)
        {
            await Task.Delay(100);
        }
        Assert.False(EmbeddedPostgres.IsPostgres(ownPid), "stopping the app stops the cluster it started (within 10 s)");
    }

    [Fact]
    public async Task A_stale_pid_file_naming_a_live_process_that_is_not_PostgreSQL_does_not_block_the_start()
    {
        var first = await EmbeddedPostgres.StartAsync(Options, NullLogger.Instance);
        var pidFileText = File.ReadAllLines(Path.Combine(first.ClusterDirectory, "postmaster.pid"));
        await first.StopAsync();

        // After a crash and a reboot (or in a container) the old pid can belong to any other process.
        var impostor = Process.Start("sleep", "300");
        _strays.Add(impostor);
        pidFileText[0] = impostor.Id.ToString(CultureInfo.InvariantCulture);
        File.WriteAllLines(Path.Combine(first.ClusterDirectory, "postmaster.pid"), pidFileText);

        await using var second = await EmbeddedPostgres.StartAsync(Options, NullLogger.Instance);
        Assert.Equal(1, await ScalarAsync(second.ConnectionString, "SELECT 1"));
        Assert.False(impostor.HasExited, "the unrelated process was left alone");
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    internal static int PostmasterPid(string clusterDirectory) =>
        int.Parse(File.ReadLines(Path.Combine(clusterDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    /// <summary>pg_ctl as the app runs it: as the postgres user when the tests run as root.</summary>
    private static void PgCtl(params string[] args)
    {
        var pgCtl = Path.Combine(EmbeddedPostgres.FindBinDirectory(null)!, "pg_ctl");
        var psi = Environment.UserName == "root" ? new ProcessStartInfo("runuser") : new ProcessStartInfo(pgCtl);
        if (Environment.UserName == "root")
        {
            foreach (var a in new[] { "-u", "postgres", "--", pgCtl })
            {
                psi.ArgumentList.Add(a);
            }
        }
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        psi.WorkingDirectory = Path.GetTempPath();
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"pg_ctl {string.Join(' ', args)} failed: {p.StandardError.ReadToEnd()}");
    }

    private static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var p in _strays)
        {
            if (!p.HasExited)
            {
                p.Kill();
            }
            p.Dispose();
        }
        var pidFile = Path.Combine(_root, "pgdata", "postmaster.pid");
        if (File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), out var pid) && EmbeddedPostgres.IsPostgres(pid))
        {
            Process.Start("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)])?.WaitForExit();
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // a folder still in use (the postmaster shutting down) is left in the temp folder
        }
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Messages { get; } = [];
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Messages)
            {
                Messages.Add(formatter(state, exception));
            }
        }
    }
}

using System.Net;
using AiLandscape.Web.Hosting;
using Npgsql;

namespace AiLandscape.Tests.Hosting;

/// <summary>The README's run command, as a new user meets it: no setup, a database of its own, data kept.</summary>
public sealed class AppProcessTests : IDisposable
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "ailandscape-apptest-" + Guid.NewGuid().ToString("N"));
    private readonly string _logDir = Directory.CreateTempSubdirectory("ailandscape-logs-").FullName;
    // `dotnet run` runs the app in its project folder: appsettings.json and wwwroot are found there.
    private static readonly string WorkDir = Path.Combine(RepoPaths.Root, "src", "AiLandscape.Web");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Without_a_connection_string_the_app_runs_its_own_PostgreSQL_and_keeps_data_between_runs()
    {
        var env = new Dictionary<string, string?>
        {
            ["AILANDSCAPE_DATA_DIR"] = _dataDir,
            // Production: static assets (MudBlazor's CSS and JS) must be served outside Development too.
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Serilog__WriteTo__1__Args__path"] = Path.Combine(_logDir, "app-.log"),
        };

        string summary;
        await using (var first = AppProcess.Start(env, WorkDir))
        {
            await first.WaitUntilReadyAsync(_http, TimeSpan.FromSeconds(180));
            Assert.Contains(Path.Combine(_dataDir, "pgdata"), first.Stdout);
            Assert.Contains(Path.Combine(_dataDir, "pgdata"), string.Concat(Directory.GetFiles(_logDir).Select(File.ReadAllText)));
            Assert.True(File.Exists(Path.Combine(_dataDir, "password")), "the generated password is kept in the data folder");

            var homeResponse = await _http.GetAsync(first.BaseAddress + "/");
            var home = await homeResponse.Content.ReadAsStringAsync();
            Assert.Contains("AiLandscape", home);
            // Security headers on every response; the server does not name itself.
            Assert.Equal("nosniff", homeResponse.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("strict-origin-when-cross-origin", homeResponse.Headers.GetValues("Referrer-Policy").Single());
            Assert.Contains("camera=()", homeResponse.Headers.GetValues("Permissions-Policy").Single());
            Assert.False(homeResponse.Headers.Contains("Server"), "no Server header");
            // A Content-Security-Policy whose nonce is the one on the page's only inline script (the import map).
            var csp = string.Join(", ", homeResponse.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", csp);
            Assert.Contains("frame-ancestors 'self'", csp);
            var nonce = System.Text.RegularExpressions.Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
            Assert.NotEmpty(nonce);
            Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", home);
            Assert.DoesNotContain("unsafe-inline' 'nonce", csp);
            Assert.DoesNotMatch("script-src[^;]*unsafe", csp);
            Assert.False(homeResponse.Headers.Contains("Strict-Transport-Security"), "no HSTS on plain HTTP");
            // Behind a TLS proxy on this machine (loopback is trusted): the request counts as HTTPS, so HSTS is sent.
            using (var viaProxy = new HttpRequestMessage(HttpMethod.Get, first.BaseAddress + "/health/live"))
            {
                viaProxy.Headers.Host = "ailandscape.example";
                viaProxy.Headers.Add("X-Forwarded-Proto", "https");
                viaProxy.Headers.Add("X-Forwarded-For", "203.0.113.7");
                var proxied = await _http.SendAsync(viaProxy);
                Assert.Equal(HttpStatusCode.OK, proxied.StatusCode);
                Assert.StartsWith("max-age=31536000", proxied.Headers.GetValues("Strict-Transport-Security").Single());
            }
            // The container health check: the app asks a running instance and exits 0 when ready, 1 when not.
            await using (var probe = AppProcess.Start(env, WorkDir, "healthcheck", first.BaseAddress + "/health/ready"))
            {
                Assert.Equal(0, await probe.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            }
            await using (var probe = AppProcess.Start(env, WorkDir, "healthcheck", "http://127.0.0.1:9/health/ready"))
            {
                Assert.Equal(1, await probe.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            }
            var css = await _http.GetAsync(first.BaseAddress + "/_content/MudBlazor/MudBlazor.min.css");
            Assert.Equal(HttpStatusCode.OK, css.StatusCode);
            var js = await _http.GetAsync(first.BaseAddress + "/_content/MudBlazor/MudBlazor.min.js");
            Assert.Equal(HttpStatusCode.OK, js.StatusCode);

            await using var conn = new NpgsqlConnection(EmbeddedConnectionString());
            await conn.OpenAsync();
            summary = "Written in the first run at " + DateTime.UtcNow.ToString("O");
            await using var update = new NpgsqlCommand("UPDATE companies SET summary = @s WHERE slug = 'deepseek'", conn);
            update.Parameters.AddWithValue("s", summary);
            Assert.Equal(1, await update.ExecuteNonQueryAsync());
        }
        Assert.False(File.Exists(Path.Combine(_dataDir, "pgdata", "postmaster.pid")), "stopping the app stops its PostgreSQL");

        await using (var second = AppProcess.Start(env, WorkDir))
        {
            await second.WaitUntilReadyAsync(_http, TimeSpan.FromSeconds(180));
            await using var conn = new NpgsqlConnection(EmbeddedConnectionString());
            await conn.OpenAsync();
            await using var read = new NpgsqlCommand(
                "SELECT (SELECT summary FROM companies WHERE slug = 'deepseek'), (SELECT count(*) FROM companies), " +
                "(SELECT count(*) FROM seed_history)", conn);
            await using var reader = await read.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(summary, reader.GetString(0));
            Assert.Equal(7, reader.GetInt64(1));
            // The seed dataset, the round-label table, the seed corrections, the rounds' stored USD amounts, the
            // companies' and the investors' event-time figures, the history rebuilt from the audit trail and its
            // derived columns, the people's pinyin, each once.
            Assert.Equal(9, reader.GetInt64(2));
            await reader.DisposeAsync();

            // Killed outright (kill -9, an OOM kill): the app cannot stop its PostgreSQL, its watchdog does.
            var postmaster = EmbeddedPostgresTests.PostmasterPid(Path.Combine(_dataDir, "pgdata"));
            second.KillAbruptly();
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (EmbeddedPostgres.IsPostgres(postmaster) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
            }
            Assert.False(EmbeddedPostgres.IsPostgres(postmaster), "the PostgreSQL of a killed app is stopped by its watchdog");
        }
        // The next start finds the folder free and the data there.
        await using var third = await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions { DataDirectory = _dataDir }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        Assert.Equal(summary, await ReadSummaryAsync(third.ConnectionString));
    }

    private static async Task<string> ReadSummaryAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var read = new NpgsqlCommand("SELECT summary FROM companies WHERE slug = 'deepseek'", conn);
        return (string)(await read.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Without_PostgreSQL_binaries_the_app_exits_with_one_line_saying_what_to_do()
    {
        var env = new Dictionary<string, string?>
        {
            ["AILANDSCAPE_DATA_DIR"] = _dataDir,
            ["EmbeddedPostgres__BinDirectory"] = "/nonexistent/postgresql/bin",
            ["Serilog__WriteTo__1__Args__path"] = Path.Combine(_logDir, "app-.log"),
        };
        await using var app = AppProcess.Start(env, WorkDir);

        Assert.Equal(1, await app.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var lines = app.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var line = Assert.Single(lines);
        Assert.Contains("Install PostgreSQL", line);
        Assert.Contains("ConnectionStrings__AiLandscape", line);
        Assert.Contains("docker compose", line);
        Assert.DoesNotContain("Exception", app.Stdout + app.Stderr);
    }

    /// <summary>Reads the running embedded cluster's port and generated password, as a user with psql would.</summary>
    private string EmbeddedConnectionString()
    {
        var pid = File.ReadAllLines(Path.Combine(_dataDir, "pgdata", "postmaster.pid"));
        return new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1", Port = int.Parse(pid[3], System.Globalization.CultureInfo.InvariantCulture),
            Username = "postgres", Password = File.ReadAllText(Path.Combine(_dataDir, "password")).Trim(),
            Database = "ailandscape", Pooling = false,
        }.ConnectionString;
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var dir in new[] { _dataDir, _logDir })
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace AiLandscape.Faults;

public sealed record ScenarioResult(string Name, bool? Held, int Lost, int Duplicated, int FailedReads, string Detail);

public sealed record FaultReport(IReadOnlyList<ScenarioResult> Scenarios)
{
    public int Held => Scenarios.Count(s => s.Held == true);
    public int Lost => Scenarios.Sum(s => s.Lost);
    public int Duplicated => Scenarios.Sum(s => s.Duplicated);
    public int FailedReads => Scenarios.Sum(s => s.FailedReads);
    public bool AllRunHeld => Scenarios.All(s => s.Held != false);
    public string FinalLine =>
        $"faults: {Held}/{Scenarios.Count} scenarios held; lost {Lost}, duplicated {Duplicated}, failed reads {FailedReads}";
}

/// <summary>
/// Faults an editor or analyst would live through, against the built app and a real, durable PostgreSQL:
/// the database killed (kill -9 of the postmaster and its backends) during a stream of audited writes from several
/// clients, the database restarted under read load, the app killed during writes, two instances behind nginx, a read
/// replica stopped under read load. Counts acknowledged writes that
/// are missing afterwards (lost), records written twice (duplicated), and reads that failed after the retry window.
/// </summary>
public static partial class FaultRun
{
    /// <summary>Reads that start this long after PostgreSQL is back must all answer (stated in the README).</summary>
    public static readonly TimeSpan ReadRetryWindow = TimeSpan.FromSeconds(5);

    /// <summary>Reads that start this long after the read replica stopped must all answer, from the primary (README).</summary>
    public static readonly TimeSpan ReplicaFallbackWindow = TimeSpan.FromSeconds(2);
    private const int Writers = 4;
    private const int Readers = 4;

    /// <param name="only">One scenario's key (database-writes, database-reads, app-writes, nginx, replica) to run it alone.</param>
    public static async Task<FaultReport> RunAsync(int cycles, TextWriter log, string? only = null)
    {
        var results = new List<ScenarioResult>();
        var logs = Directory.CreateTempSubdirectory("ailandscape-faults-logs-").FullName;
        await using var cluster = await Cluster.CreateAsync();
        await using var app = new AppInstance(cluster.ConnectionString(), logs);
        var password = "Faults-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        const string email = "faults@example.com";
        var (code, output) = await app.RunCommandAsync("create-admin", "--email", email, "--password", password);
        if (code != 0)
        {
            throw new InvalidOperationException("create-admin failed: " + output);
        }
        var token = await CreateApiTokenAsync(cluster.ConnectionString(), email);
        await app.StartAsync(TimeSpan.FromMinutes(3));
        log.WriteLine($"app on {app.BaseAddress}, PostgreSQL on port {cluster.Port} (fsync on), {Writers} writers, {Readers} readers");

        var scenarios = new (string Key, Func<Task<ScenarioResult>> Run)[]
        {
            ("database-writes", () => DatabaseKilledDuringWritesAsync(cluster, app, token, cycles, log)),
            ("database-reads", () => DatabaseRestartedUnderReadsAsync(cluster, app, log)),
            ("app-writes", () => AppKilledDuringWritesAsync(cluster, app, token, email, password, Math.Clamp(cycles / 10, 1, 5), log)),
            ("nginx", () => TwoInstancesBehindNginxAsync(cluster, app, logs, email, password, log)),
            ("replica", () => ReplicaStoppedUnderReadsAsync(cluster, logs, token, log)),
        };
        foreach (var (key, run) in scenarios.Where(s => only is null || s.Key == only))
        {
            results.Add(await run());
        }

        await app.StopAsync();
        foreach (var r in results)
        {
            log.WriteLine($"  {(r.Held switch { true => "held   ", false => "FAILED ", null => "not run" })} {r.Name}: {r.Detail}");
        }
        var report = new FaultReport(results);
        log.WriteLine(report.FinalLine);
        Directory.Delete(logs, recursive: true);
        return report;
    }

    private static async Task<ScenarioResult> DatabaseKilledDuringWritesAsync(Cluster cluster, AppInstance app, string token,
        int cycles, TextWriter log)
    {
        var sw = Stopwatch.StartNew();
        await using var writes = WriteStream.Start(app.BaseAddress, "pgkill", http => http.DefaultRequestHeaders.Authorization =
            new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token));
        var random = new Random(17);
        for (var i = 0; i < cycles; i++)
        {
            await Task.Delay(random.Next(1000, 2500));
            cluster.Crash();
            await Task.Delay(random.Next(50, 400));
            cluster.Start();
        }
        await Task.Delay(1000);
        await writes.StopAsync();
        var (lost, duplicated, unaudited) = await CheckAsync(cluster, writes);
        var detail = $"{cycles} kills in {sw.Elapsed.TotalSeconds:0} s; {writes.Acknowledged.Count} writes acknowledged, " +
                     $"{writes.Failed} answered with an error, lost {lost}, duplicated {duplicated}, without audit entry {unaudited}";
        log.WriteLine("PostgreSQL killed during writes: " + detail);
        return new ScenarioResult("PostgreSQL killed during writes", lost == 0 && duplicated == 0 && unaudited == 0 && writes.Acknowledged.Count > 0,
            lost, duplicated, 0, detail);
    }

    private static async Task<ScenarioResult> DatabaseRestartedUnderReadsAsync(Cluster cluster, AppInstance app, TextWriter log)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.BaseAddress), Timeout = TimeSpan.FromSeconds(60) };
        await using var reads = ReadStream.Start(http, ["/api/v1/companies", "/companies/deepseek", "/investors", "/api/v1/rounds"]);
        await Task.Delay(1000);
        cluster.RestartFast();
        var backAfterRestart = DateTime.UtcNow;
        await Task.Delay(2000);
        cluster.Crash();
        await Task.Delay(300);
        cluster.Start();
        var back = DateTime.UtcNow;
        await Task.Delay(ReadRetryWindow + TimeSpan.FromSeconds(3));
        await reads.StopAsync();
        var all = reads.Outcomes.ToList();
        var failedDuring = all.Count(o => !o.Ok && o.Start < back + ReadRetryWindow);
        var failedAfter = all.Count(o => !o.Ok && o.Start >= back + ReadRetryWindow);
        var failedAfterRestart = all.Count(o => !o.Ok && o.Start >= backAfterRestart + ReadRetryWindow && o.Start < back - TimeSpan.FromMilliseconds(300));
        var afterWindow = all.Count(o => o.Start >= back + ReadRetryWindow);
        var detail = $"a fast restart and a crash under {Readers} readers; {all.Count} reads, {failedDuring} failed during the " +
                     $"faults and their {ReadRetryWindow.TotalSeconds:0} s retry window, {failedAfter} of {afterWindow} failed after it (and {failedAfterRestart} between the restart's window and the crash)";
        log.WriteLine("PostgreSQL restarted under reads: " + detail);
        return new ScenarioResult("PostgreSQL restarted under read load", failedAfter + failedAfterRestart == 0 && afterWindow > 0, 0, 0,
            failedAfter + failedAfterRestart, detail);
    }

    private static async Task<ScenarioResult> AppKilledDuringWritesAsync(Cluster cluster, AppInstance app, string token,
        string email, string password, int kills, TextWriter log)
    {
        var cookies = new CookieContainer();
        using var browser = LocalBrowser.Create(cookies, app.BaseAddress);
        var login = await SignInAsync(browser, browser, email, password);
        if (login != HttpStatusCode.Found)
        {
            return new ScenarioResult("app killed during writes", false, 0, 0, 0, $"sign-in answered {(int)login}");
        }

        await using var writes = WriteStream.Start(app.BaseAddress, "appkill", http => http.DefaultRequestHeaders.Authorization =
            new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token));
        var stillSignedIn = true;
        for (var i = 0; i < kills; i++)
        {
            await Task.Delay(1500);
            app.Kill();
            await app.StartAsync(TimeSpan.FromMinutes(3));
            using var page = await browser.GetAsync("/history");
            stillSignedIn &= page.StatusCode == HttpStatusCode.OK;
        }
        await Task.Delay(1000);
        await writes.StopAsync();
        var (lost, duplicated, unaudited) = await CheckAsync(cluster, writes);
        var detail = $"{kills} kill(s) of the app; {writes.Acknowledged.Count} writes acknowledged, {writes.Failed} failed " +
                     $"(in flight or while it was down), lost {lost}, duplicated {duplicated}, without audit entry {unaudited}; " +
                     $"the same sign-in cookie {(stillSignedIn ? "still works" : "was REFUSED")} after the restart";
        log.WriteLine("App killed during writes: " + detail);
        return new ScenarioResult("app killed during writes", lost == 0 && duplicated == 0 && unaudited == 0 && stillSignedIn
            && writes.Acknowledged.Count > 0, lost, duplicated, 0, detail);
    }

    /// <summary>
    /// A second instance on the same database, nginx in front of both. Signed in through one instance, the same
    /// cookie works on the other (Data Protection keys in the database), and a login form fetched from one can be
    /// posted to the other (antiforgery). Readers go through nginx while each instance in turn is killed and
    /// started again: requests that start after a kill all answer (nginx passes them to the live instance).
    /// </summary>
    private static async Task<ScenarioResult> TwoInstancesBehindNginxAsync(Cluster cluster, AppInstance first, string logs,
        string email, string password, TextWriter log)
    {
        const string name = "two instances behind nginx, one killed";
        await using var second = new AppInstance(cluster.ConnectionString(), logs);
        await second.StartAsync(TimeSpan.FromMinutes(3));
        await using var nginx = await Nginx.StartAsync([first.Port, second.Port], requestsPerSecond: 100_000);

        var cookies = new CookieContainer();
        using var viaFirst = LocalBrowser.Create(cookies, first.BaseAddress);
        using var viaSecond = LocalBrowser.Create(cookies, second.BaseAddress);
        using var viaProxy = LocalBrowser.Create(cookies, nginx.BaseAddress, TimeSpan.FromSeconds(60));
        var login = await SignInAsync(viaFirst, viaSecond, email, password);
        // Cookies are per host, not per port: the sign-in made on the second instance is sent to the first too.
        using var onFirst = await viaFirst.GetAsync("/history");
        var crossInstance = login == HttpStatusCode.Found && onFirst.StatusCode == HttpStatusCode.OK;

        string[] paths = ["/api/v1/companies", "/companies/deepseek", "/history", "/rounds"];
        await using var reads = ReadStream.Start(viaProxy, paths);
        var kills = new List<DateTime>();
        foreach (var victim in new[] { first, second })
        {
            await Task.Delay(1500);
            kills.Add(DateTime.UtcNow);
            victim.Kill();
            log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} killed the instance on port {victim.Port}");
            await Task.Delay(1500);
            await victim.StartAsync(TimeSpan.FromMinutes(3));
            log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} the instance on port {victim.Port} is ready again");
            // A rolling restart goes on only once the proxy uses the restarted instance again. nginx marked it down
            // when it refused the clients it served; it takes it back when a trial request, at most one per
            // fail_timeout, succeeds. Until then nginx trusts only the other instance, and killing that one leaves
            // no live upstream (502) for as long as the trial request takes on a cold instance. An instance that
            // served none of the readers (they are all hashed to the other one) was never marked down.
            if (nginx.UpstreamErrors().Contains($":{victim.Port}/", StringComparison.Ordinal))
            {
                var back = await victim.ServedAsync(paths, TimeSpan.FromSeconds(60));
                log.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} nginx {(back ? "sends requests to it again" : "has NOT sent it a request within 60 s")}");
            }
            await Task.Delay(1000);
        }
        await Task.Delay(1000);
        await reads.StopAsync();
        using var signedIn = await viaProxy.GetAsync("/history");

        // In flight at a kill: started before it and still unanswered when it came (nginx cannot pass on a response
        // the killed instance had begun to send). A loaded machine can take seconds over a profile page.
        var all = reads.Outcomes.ToList();
        var inFlight = all.Count(o => !o.Ok && kills.Any(k => o.Start <= k && o.Start + o.Took >= k));
        var failed = all.Count(o => !o.Ok) - inFlight;
        var held = crossInstance && failed == 0 && signedIn.StatusCode == HttpStatusCode.OK;
        var detail = $"sign-in through one instance {(crossInstance ? "works" : "does NOT work")} on the other; {all.Count} requests " +
                     $"through nginx while each instance was killed once: {failed} failed besides {inFlight} in flight at a kill; " +
                     $"still signed in through nginx afterwards: {signedIn.StatusCode == HttpStatusCode.OK}" +
                     (reads.Failures.IsEmpty ? "" : $" (failures: {string.Join(", ", reads.Failures.Select(f => $"{f.Key} × {f.Value}"))})");
        log.WriteLine("Two instances behind nginx: " + detail);
        if (!held)
        {
            var when = all.Where(o => !o.Ok).OrderBy(o => o.Start)
                .Select(o => kills.Select(k => (o.Start - k).TotalSeconds).MinBy(Math.Abs))
                .Select(s => s.ToString("+0.00;-0.00", CultureInfo.InvariantCulture) + " s");
            var shown = when.Take(30).ToList();
            var failedCount = all.Count(o => !o.Ok);
            log.WriteLine("failed requests started at, from the nearest kill: " + string.Join(", ", shown) +
                          (failedCount > shown.Count ? $" and {failedCount - shown.Count} more" : ""));
            log.WriteLine("nginx's last upstream errors:\n" + nginx.UpstreamErrors());
        }
        await second.StopAsync();
        return new ScenarioResult(name, held, 0, 0, failed, detail);
    }

    /// <summary>
    /// A third instance reading from a streaming replica (pg_basebackup -R of the harness's primary). With the
    /// replica's replay paused, an editor's write through the API is read back at once by that editor (from the
    /// primary) while an anonymous reader does not see it yet (the replica serves them). Then readers go round the read
    /// pages and the read API while the replica is stopped (pg_ctl stop -m immediate): reads that start after the
    /// fallback window all answer, from the primary, and readiness stays up (Degraded).
    /// </summary>
    private static async Task<ScenarioResult> ReplicaStoppedUnderReadsAsync(Cluster cluster, string logs, string token, TextWriter log)
    {
        const string name = "read replica stopped under read load";
        await using var replica = await cluster.CreateReplicaAsync();
        await using var app = new AppInstance(cluster.ConnectionString(), logs, replica.ConnectionString());
        await app.StartAsync(TimeSpan.FromMinutes(3));
        using var anonymous = new HttpClient { BaseAddress = new Uri(app.BaseAddress), Timeout = TimeSpan.FromSeconds(60) };
        using var editor = new HttpClient { BaseAddress = new Uri(app.BaseAddress), Timeout = TimeSpan.FromSeconds(60) };
        editor.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        // Replication lag: replay paused, so the replica stays before the editor's write however long the checks take.
        await ExecuteAsync(replica, "SELECT pg_wal_replay_pause()");
        var slug = "faults-replica-" + Guid.NewGuid().ToString("N")[..6];
        using var created = await editor.PostAsJsonAsync("/api/v1/companies", new
        {
            nameEn = "Fault harness " + slug, slug,
            sources = new[] { new { url = $"https://faults.example/{slug}", title = "fault harness" } },
        });
        using var editorRead = await editor.GetAsync($"/api/v1/companies/{slug}");
        using var anonymousRead = await anonymous.GetAsync($"/api/v1/companies/{slug}");
        var lagHeld = created.StatusCode == HttpStatusCode.Created && editorRead.StatusCode == HttpStatusCode.OK
                      && anonymousRead.StatusCode == HttpStatusCode.NotFound;
        await ExecuteAsync(replica, "SELECT pg_wal_replay_resume()");

        await using var reads = ReadStream.Start(anonymous, ["/api/v1/companies", "/companies/deepseek", "/investors", "/api/v1/rounds"]);
        // Warm: every reader has been served by the replica a few times, so the stop breaks pooled connections in use.
        var warm = Stopwatch.StartNew();
        while (reads.Outcomes.Count < 5 * Readers && warm.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }
        await Task.Delay(500);
        replica.StopImmediate();
        var stopped = DateTime.UtcNow;
        await Task.Delay(ReplicaFallbackWindow + TimeSpan.FromSeconds(4));
        await reads.StopAsync();
        using var ready = await anonymous.GetAsync("/health/ready");
        var readiness = $"{(int)ready.StatusCode} {await ready.Content.ReadAsStringAsync()}";
        await app.StopAsync();

        var all = reads.Outcomes.ToList();
        var before = all.Count(o => o.Start < stopped);
        var failedDuring = all.Count(o => !o.Ok && o.Start >= stopped && o.Start < stopped + ReplicaFallbackWindow);
        var failedAfter = all.Count(o => !o.Ok && o.Start >= stopped + ReplicaFallbackWindow);
        var failedBefore = all.Count(o => !o.Ok && o.Start < stopped);
        var afterWindow = all.Count(o => o.Start >= stopped + ReplicaFallbackWindow);
        // What the fallback costs a reader: the slowest read in flight at the stop or started just after it.
        var slowestAcross = all.Where(o => o.Start + o.Took >= stopped && o.Start < stopped + ReplicaFallbackWindow)
            .Select(o => o.Took.TotalSeconds).DefaultIfEmpty().Max();
        var typical = Median(all.Where(o => o.Ok && o.Start + o.Took < stopped).Select(o => o.Took.TotalSeconds));
        var typicalAfter = Median(all.Where(o => o.Ok && o.Start >= stopped + ReplicaFallbackWindow).Select(o => o.Took.TotalSeconds));
        var held = lagHeld && failedAfter + failedBefore == 0 && afterWindow > 0 && ready.StatusCode == HttpStatusCode.OK;
        var detail = $"with replay paused, the editor's new company answered {(int)editorRead.StatusCode} to the editor and " +
                     $"{(int)anonymousRead.StatusCode} to an anonymous reader; {all.Count} reads by {Readers} readers ({before} before the " +
                     $"replica stopped, {failedBefore} of them failed), {failedDuring} failed in the {ReplicaFallbackWindow.TotalSeconds:0} s " +
                     $"fallback window, {failedAfter} of {afterWindow} failed after it; median read {typical:0.00} s on the replica, " +
                     $"{typicalAfter:0.00} s on the primary after it, slowest across the stop {slowestAcross:0.00} s; /health/ready then: {readiness}" +
                     (reads.Failures.IsEmpty ? "" : $" (failures: {string.Join(", ", reads.Failures.Select(f => $"{f.Key} × {f.Value}"))})");
        log.WriteLine("Read replica stopped under reads: " + detail);
        return new ScenarioResult(name, held, 0, 0, failedAfter + failedBefore, detail);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }

    private static async Task ExecuteAsync(Cluster cluster, string sql)
    {
        await using var conn = new NpgsqlConnection(cluster.ConnectionString() + ";Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Every acknowledged title present once, no title twice, every written source with its audit entry.</summary>
    private static async Task<(int Lost, int Duplicated, int Unaudited)> CheckAsync(Cluster cluster, WriteStream writes)
    {
        // Unpooled: the harness's own connections must not be ones the crashes broke.
        await using var conn = new NpgsqlConnection(cluster.ConnectionString() + ";Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "SELECT s.title, count(*)::int, count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM audit_entries a " +
            "WHERE a.record_type = 'Source' AND a.record_id = s.id AND a.action = 'Create'))::int " +
            "FROM sources s WHERE s.title LIKE @prefix GROUP BY s.title", conn);
        cmd.Parameters.AddWithValue("prefix", writes.Prefix + "%");
        var present = new Dictionary<string, (int Count, int Unaudited)>();
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                present[reader.GetString(0)] = (reader.GetInt32(1), reader.GetInt32(2));
            }
        }
        var lost = writes.Acknowledged.Keys.Count(t => !present.ContainsKey(t));
        var duplicated = present.Values.Sum(v => v.Count - 1);
        var unaudited = present.Values.Sum(v => v.Unaudited);
        return (lost, duplicated, unaudited);
    }

    private static async Task<string> CreateApiTokenAsync(string connectionString, string email)
    {
        var token = "ail_faults" + Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        await using var conn = new NpgsqlConnection(connectionString + ";Pooling=false");
        await conn.OpenAsync();
        // The harness writes and reads as an editor: create-admin makes an Admin, and an Admin must set up two-factor
        // sign-in before anything else (ADR 0015), which a harness of plain HTTP clients does not do.
        await using (var editor = new NpgsqlCommand("""
            DELETE FROM "AspNetUserRoles" WHERE user_id = (SELECT id FROM "AspNetUsers" WHERE normalized_email = @email);
            INSERT INTO "AspNetUserRoles" (user_id, role_id)
            SELECT u.id, r.id FROM "AspNetUsers" u, "AspNetRoles" r WHERE u.normalized_email = @email AND r.normalized_name = 'EDITOR';
            """, conn))
        {
            editor.Parameters.AddWithValue("email", email.ToUpperInvariant());
            await editor.ExecuteNonQueryAsync();
        }
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at, expires_at) " +
            "SELECT id, 'fault harness', @hash, @prefix, now(), now() + interval '1 day' FROM \"AspNetUsers\" WHERE normalized_email = @email", conn);
        cmd.Parameters.AddWithValue("hash", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))));
        cmd.Parameters.AddWithValue("prefix", token[..12]);
        cmd.Parameters.AddWithValue("email", email.ToUpperInvariant());
        if (await cmd.ExecuteNonQueryAsync() != 1)
        {
            throw new InvalidOperationException("could not create the harness's API token");
        }
        return token;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();

    /// <summary>The login form as a browser without script uses it: fetched from one client, posted through another.</summary>
    private static async Task<HttpStatusCode> SignInAsync(HttpClient formFrom, HttpClient postTo, string email, string password)
    {
        var form = await formFrom.GetStringAsync("/account/login");
        using var login = await postTo.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(TokenInput().Match(form).Groups[1].Value),
            ["Input.Email"] = email, ["Input.Password"] = password,
        }));
        return login.StatusCode;
    }

    /// <summary>Readers going round a set of pages, each request's start time and outcome kept.</summary>
    private sealed class ReadStream : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task[] _tasks = [];
        public ConcurrentBag<(DateTime Start, bool Ok, TimeSpan Took)> Outcomes { get; } = [];
        public ConcurrentDictionary<string, int> Failures { get; } = new();

        public static ReadStream Start(HttpClient http, string[] paths)
        {
            var stream = new ReadStream();
            stream._tasks = Enumerable.Range(0, Readers).Select(r => Task.Run(async () =>
            {
                for (var n = 0; !stream._stop.IsCancellationRequested; n++)
                {
                    var start = DateTime.UtcNow;
                    string? failure;
                    try
                    {
                        using var response = await http.GetAsync(paths[(n + r) % paths.Length]);
                        failure = response.StatusCode == HttpStatusCode.OK ? null : ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        failure = ex.GetType().Name;
                    }
                    stream.Outcomes.Add((start, failure is null, DateTime.UtcNow - start));
                    if (failure is not null)
                    {
                        stream.Failures.AddOrUpdate(failure, 1, (_, c) => c + 1);
                        await Task.Delay(50);
                    }
                }
            })).ToArray();
            return stream;
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_tasks);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }
    }

    /// <summary>Writers adding sources through the write API, each with a unique title; no client-side retries.</summary>
    private sealed class WriteStream : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task[] _tasks = [];
        private int _failed;
        public string Prefix { get; }
        public ConcurrentDictionary<string, bool> Acknowledged { get; } = new();
        public int Failed => _failed;

        private WriteStream(string prefix) => Prefix = prefix;

        public static WriteStream Start(string baseAddress, string name, Action<HttpClient> authorize)
        {
            var stream = new WriteStream($"faults-{name}-{Guid.NewGuid().ToString("N")[..6]}-");
            stream._tasks = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
            {
                using var http = new HttpClient { BaseAddress = new Uri(baseAddress), Timeout = TimeSpan.FromSeconds(90) };
                authorize(http);
                for (var n = 0; !stream._stop.IsCancellationRequested; n++)
                {
                    var title = $"{stream.Prefix}{w}-{n}";
                    try
                    {
                        using var response = await http.PostAsJsonAsync("/api/v1/sources",
                            new { title, url = $"https://faults.example/{title}", publisher = "fault harness" });
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            stream.Acknowledged[title] = true;
                            continue;
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        // not acknowledged: the client cannot know whether it was written
                    }
                    Interlocked.Increment(ref stream._failed);
                    await Task.Delay(100);
                }
            })).ToArray();
            return stream;
        }

        public async Task StopAsync()
        {
            await _stop.CancelAsync();
            await Task.WhenAll(_tasks);
        }

        public async ValueTask DisposeAsync()
        {
            await StopAsync();
            _stop.Dispose();
        }
    }
}

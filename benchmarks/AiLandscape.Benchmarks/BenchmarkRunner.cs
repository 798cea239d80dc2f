using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using AiLandscape.Web.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AiLandscape.Benchmarks;

public sealed record BenchmarkOptions
{
    /// <summary>The large scale, measured against 1× (the seed as shipped).</summary>
    public int Scale { get; init; } = 1000;
    /// <summary>Timed samples per case and scale, after the warm-up.</summary>
    public int Samples { get; init; } = 200;
    /// <summary>Samples for an export (each writes the whole table; at 1,000× one takes seconds).</summary>
    public int ExportSamples { get; init; } = 20;
    public int WarmUp { get; init; } = 5;
    /// <summary>
    /// Stop sampling a case after this many seconds (both scales together) once it has <see cref="MinSamples"/>:
    /// keeps a full run within an hour when a case takes a second a time. Only cases far above target hit it; each
    /// result says how many samples it has.
    /// </summary>
    public double MaxCaseSeconds { get; init; } = 30;
    public int MinSamples { get; init; } = 3;
    /// <summary>Run only the cases whose name contains this, or one of its '|'-separated parts (case-insensitive).</summary>
    public string? Only { get; init; }
    /// <summary>Leave out the cases whose name contains one of these '|'-separated parts.</summary>
    public string? Skip { get; init; }
    /// <summary>Where latest.json, latest.md and plans/ go; null writes nothing.</summary>
    public string? OutputDirectory { get; init; } = Path.Combine("benchmarks", "results");
    /// <summary>Save EXPLAIN (ANALYZE, BUFFERS) of every command of each case that misses its target.</summary>
    public bool SavePlans { get; init; } = true;
}

public sealed record CaseResult(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("scale")] int Scale,
    [property: JsonPropertyName("p50_ms")] double P50Ms,
    [property: JsonPropertyName("p95_ms")] double P95Ms,
    [property: JsonPropertyName("p99_ms")] double P99Ms,
    [property: JsonPropertyName("sql_commands")] int SqlCommands,
    [property: JsonPropertyName("samples")] int Samples,
    [property: JsonPropertyName("kind")] string Kind);

public sealed record RatioResult(
    [property: JsonPropertyName("case")] string Case,
    [property: JsonPropertyName("p95_ratio")] double P95Ratio,
    [property: JsonPropertyName("target_met")] bool? TargetMet,
    [property: JsonPropertyName("target_note")] string? TargetNote);

public sealed record RunInfo(
    [property: JsonPropertyName("started_utc")] DateTimeOffset StartedUtc,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("scales")] IReadOnlyList<int> Scales,
    [property: JsonPropertyName("data")] IReadOnlyDictionary<string, string> Data,
    [property: JsonPropertyName("processors")] int Processors,
    [property: JsonPropertyName("load_average_start")] string? LoadAverageStart,
    [property: JsonPropertyName("load_average_end")] string? LoadAverageEnd);

public sealed record BenchmarkReport(
    [property: JsonPropertyName("run")] RunInfo Run,
    [property: JsonPropertyName("cases")] IReadOnlyList<CaseResult> Cases,
    [property: JsonPropertyName("ratios")] IReadOnlyList<RatioResult> Ratios);

/// <summary>
/// Builds a throwaway cluster with two databases (1× and the large scale), runs every case at both scales in turn
/// (sample i at 1×, then at N×, so that load on a shared machine hits both alike), and writes the report.
/// </summary>
public static class BenchmarkRunner
{
    public const double ListLimitMs = 100;
    public const double ListRatioLimit = 1.2;
    public const int ProfileCommandLimit = 4;
    public const double AsOfLimit = 2;

    public static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, TextWriter log)
    {
        var started = DateTimeOffset.UtcNow;
        var loadAtStart = LoadAverage();
        var clock = Stopwatch.StartNew();
        var root = Path.Combine(Path.GetTempPath(), "ailandscape-bench-" + Guid.NewGuid().ToString("N"));
        await using var cluster = await EmbeddedPostgres.StartAsync(
            new EmbeddedPostgresOptions { DataDirectory = root, Database = "bench", Throwaway = true }, NullLogger.Instance);

        var scales = options.Scale > 1 ? new[] { 1, options.Scale } : [1];
        var databases = new List<BenchDatabase>();
        try
        {
            foreach (var scale in scales)
            {
                var sw = Stopwatch.StartNew();
                var db = await BenchDatabase.CreateAsync(cluster.ConnectionString, scale, log);
                databases.Add(db);
                await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{scale}x: {db.Counts} (built in {sw.Elapsed.TotalSeconds:N0} s)"));
            }

            var cases = Cases.All()
                .Where(c => options.Only is null || options.Only.Split('|').Any(o => c.Name.Contains(o, StringComparison.OrdinalIgnoreCase)))
                .Where(c => options.Skip is null || !options.Skip.Split('|').Any(o => c.Name.Contains(o, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            var results = new List<CaseResult>();
            var ratios = new List<RatioResult>();
            var plans = new Dictionary<string, string>();
            await log.WriteLineAsync($"{"case",-48} {"scale",6} {"p50",8} {"p95",8} {"p99",8} {"sql",4}");
            foreach (var c in cases)
            {
                List<CaseResult> perScale;
                try
                {
                    perScale = await MeasureAsync(c, databases, options);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // At 10,000x the investor list outlives the command timeout and its retries: report, carry on.
                    await log.WriteLineAsync($"{c.Name,-48} failed: {e.GetType().Name}: {e.InnerException?.Message ?? e.Message}");
                    results.AddRange(databases.Select(d => new CaseResult(c.Name, d.Scale, 0, 0, 0, 0, 0, c.Kind.ToString())));
                    ratios.Add(new RatioResult(c.Name, 0, c.Kind == CaseKind.Export ? null : false, $"failed: {e.GetType().Name}"));
                    continue;
                }
                results.AddRange(perScale);
                foreach (var r in perScale)
                {
                    await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{c.Name,-48} {r.Scale,5}x {r.P50Ms,8:N1} {r.P95Ms,8:N1} {r.P99Ms,8:N1} {r.SqlCommands,4}"));
                }
                var small = perScale[0];
                var large = perScale[^1];
                var ratio = small.P95Ms > 0 ? Math.Round(large.P95Ms / small.P95Ms, 2) : double.NaN;
                var (met, note) = c.Today is null ? Judge(c.Kind, small, large, ratio, databases.Count > 1)
                    : JudgeAgainstToday(large, results.LastOrDefault(r => r.Name == c.Today && r.Scale == large.Scale), c.Limit);
                ratios.Add(new RatioResult(c.Name, double.IsFinite(ratio) ? ratio : 0, met, note));
                if (met == false && options.SavePlans && options.OutputDirectory is not null)
                {
                    plans[c.Name] = await PlanAsync(c, databases[^1]);
                }
            }

            var report = new BenchmarkReport(
                new RunInfo(started, Math.Round(clock.Elapsed.TotalSeconds), scales,
                    databases.ToDictionary(d => d.Scale.ToString(CultureInfo.InvariantCulture) + "x", d => d.Counts.ToString()),
                    Environment.ProcessorCount, loadAtStart, LoadAverage()),
                results, ratios);
            if (options.OutputDirectory is { } dir)
            {
                await WriteAsync(report, plans, dir, options);
            }
            return report;
        }
        finally
        {
            foreach (var db in databases)
            {
                await db.DisposeAsync();
            }
        }
    }

    private static async Task<List<CaseResult>> MeasureAsync(BenchCase c, List<BenchDatabase> databases, BenchmarkOptions options)
    {
        var samples = c.Kind == CaseKind.Export ? Math.Min(options.Samples, options.ExportSamples) : options.Samples;
        var times = databases.Select(_ => new List<double>(samples)).ToList();
        var commands = new int[databases.Count];
        for (var i = 0; i < databases.Count; i++)
        {
            // A case that takes seconds is warm after one run; more would only spend the time budget.
            var warm = Stopwatch.StartNew();
            for (var w = 0; w < options.WarmUp && (w == 0 || warm.Elapsed.TotalSeconds < 2); w++)
            {
                await c.Run(databases[i]);
            }
        }
        var budget = Stopwatch.StartNew();
        for (var s = 0; s < samples; s++)
        {
            if (s >= options.MinSamples && budget.Elapsed.TotalSeconds > options.MaxCaseSeconds)
            {
                break;
            }
            // Alternate which scale goes first, so that neither always follows the other's cache effects.
            for (var k = 0; k < databases.Count; k++)
            {
                var i = s % 2 == 0 ? k : databases.Count - 1 - k;
                var db = databases[i];
                db.Recorder.Reset();
                var sw = Stopwatch.StartNew();
                await c.Run(db);
                times[i].Add(sw.Elapsed.TotalMilliseconds);
                commands[i] = db.Recorder.Count;
            }
        }
        return databases.Select((db, i) => new CaseResult(c.Name, db.Scale, NearestRank(times[i], 50), NearestRank(times[i], 95),
            NearestRank(times[i], 99), commands[i], times[i].Count, c.Kind.ToString())).ToList();
    }

    /// <summary>Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it.</summary>
    public static double NearestRank(IReadOnlyList<double> samples, double p)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }
        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank, 1, sorted.Length) - 1], 2);
    }

    private static (bool? Met, string? Note) Judge(CaseKind kind, CaseResult small, CaseResult large, double ratio, bool twoScales)
    {
        switch (kind)
        {
            case CaseKind.List:
                var problems = new List<string>();
                if (large.P95Ms > ListLimitMs)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"p95 {large.P95Ms:0.#} ms > {ListLimitMs} ms"));
                }
                if (twoScales && ratio > ListRatioLimit)
                {
                    problems.Add(string.Create(CultureInfo.InvariantCulture, $"p95 ratio {ratio:0.##} > {ListRatioLimit}"));
                }
                return (problems.Count == 0, problems.Count == 0 ? null : string.Join("; ", problems));
            case CaseKind.Profile:
                var most = Math.Max(small.SqlCommands, large.SqlCommands);
                return most <= ProfileCommandLimit ? (true, null) : (false, $"{most} SQL commands > {ProfileCommandLimit}");
            default:
                return (null, null);
        }
    }

    /// <summary>An as-of view (or an edit): at most <paramref name="limit"/> times the p95 of its reference case, at the same scale.</summary>
    private static (bool? Met, string? Note) JudgeAgainstToday(CaseResult asOf, CaseResult? today, double limit)
    {
        if (today is null || today.P95Ms <= 0)
        {
            return (null, "today's case was not measured in this run");
        }
        var times = asOf.P95Ms / today.P95Ms;
        return times <= limit ? (true, null)
            : (false, string.Create(CultureInfo.InvariantCulture, $"p95 {times:0.##} × the reference's ({today.P95Ms:0.#} ms) > {limit}"));
    }

    /// <summary>Runs the case once more, keeping its commands, and takes each one's EXPLAIN (ANALYZE, BUFFERS).</summary>
    private static async Task<string> PlanAsync(BenchCase c, BenchDatabase db)
    {
        db.Recorder.Reset(keep: true);
        await c.Run(db);
        var kept = db.Recorder.Kept.ToList();
        db.Recorder.Reset();
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# {c.Name} at {db.Scale}x: {kept.Count} SQL commands");
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        for (var i = 0; i < kept.Count; i++)
        {
            var command = kept[i];
            sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"## Command {i + 1}").AppendLine();
            sb.AppendLine(command.Sql.Trim());
            foreach (var p in command.Parameters)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"-- {p.ParameterName} = {Describe(p.Value)}");
            }
            sb.AppendLine();
            try
            {
                await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + command.Sql, conn) { CommandTimeout = 600 };
                foreach (var p in command.Parameters)
                {
                    explain.Parameters.Add(p.Clone());
                }
                await using var reader = await explain.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    sb.AppendLine(reader.GetString(0));
                }
            }
            catch (PostgresException e)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"(no plan: {e.MessageText})");
            }
        }
        return sb.ToString();
    }

    private static string Describe(object? value) => value switch
    {
        null or DBNull => "NULL",
        string s => $"'{s}'",
        System.Collections.IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Take(20).Select(Describe)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string Slug(string name)
    {
        var sb = new StringBuilder();
        foreach (var ch in name.ToLowerInvariant())
        {
            sb.Append(char.IsAsciiLetterOrDigit(ch) ? ch : '-');
        }
        return System.Text.RegularExpressions.Regex.Replace(sb.ToString(), "-+", "-").Trim('-');
    }

    private static async Task WriteAsync(BenchmarkReport report, Dictionary<string, string> plans, string dir, BenchmarkOptions options)
    {
        Directory.CreateDirectory(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "latest.json"), JsonSerializer.Serialize(report, Json) + "\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "latest.md"), Markdown(report, options));
        var planDir = Path.Combine(dir, "plans");
        if (Directory.Exists(planDir) && options.Only is null)
        {
            Directory.Delete(planDir, recursive: true); // a full run replaces the plans: a case now on target keeps none
        }
        foreach (var (name, plan) in plans)
        {
            Directory.CreateDirectory(planDir);
            await File.WriteAllTextAsync(Path.Combine(planDir, Slug(name) + ".txt"), plan);
        }
    }

    public static string Markdown(BenchmarkReport report, BenchmarkOptions options)
    {
        var scales = report.Run.Scales;
        var sb = new StringBuilder();
        string N(double d) => d.ToString("0.0", CultureInfo.InvariantCulture);
        sb.AppendLine("# Benchmark results").AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Run {report.Run.StartedUtc:yyyy-MM-dd HH:mm} UTC, {report.Run.Seconds:0} s, {report.Run.Processors} processors, load average (1, 5, 15 min) {report.Run.LoadAverageStart ?? "n/a"} at the start, {report.Run.LoadAverageEnd ?? "n/a"} at the end; " +
            $"{options.Samples} samples per case and scale after {options.WarmUp} warm-up runs ({options.ExportSamples} for exports; " +
            $"a case still sampling after {options.MaxCaseSeconds:0} s stops at {options.MinSamples} or more, see the samples column); nearest-rank percentiles in ms.");
        sb.AppendLine();
        foreach (var (scale, data) in report.Run.Data)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {scale}: {data}");
        }
        sb.AppendLine();
        sb.Append("| case | kind |");
        foreach (var s in scales)
        {
            sb.Append(CultureInfo.InvariantCulture, $" p50 {s}x | p95 {s}x | p99 {s}x | SQL {s}x |");
        }
        sb.AppendLine(" samples | p95 ratio | target |");
        sb.Append("|---|---|");
        foreach (var _ in scales)
        {
            sb.Append("---:|---:|---:|---:|");
        }
        sb.AppendLine("---:|---:|---|");
        foreach (var ratio in report.Ratios)
        {
            var rows = report.Cases.Where(c => c.Name == ratio.Case).ToList();
            sb.Append(CultureInfo.InvariantCulture, $"| {ratio.Case.Replace("|", "\\|", StringComparison.Ordinal)} | {rows[0].Kind} |");
            foreach (var r in rows)
            {
                sb.Append(CultureInfo.InvariantCulture, $" {N(r.P50Ms)} | {N(r.P95Ms)} | {N(r.P99Ms)} | {r.SqlCommands} |");
            }
            var target = ratio.TargetMet switch { true => "met", false => "**not met**: " + ratio.TargetNote, null => "—" };
            sb.AppendLine(CultureInfo.InvariantCulture, $" {rows[0].Samples} | {ratio.P95Ratio:0.00} | {target} |");
        }
        return sb.ToString();
    }
}

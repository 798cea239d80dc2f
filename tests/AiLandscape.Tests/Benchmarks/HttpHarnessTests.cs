using System.Diagnostics;
using System.Net;
using System.Text.Json;
using AiLandscape.Benchmarks.Http;
using AiLandscape.TestSupport;
using AiLandscape.Web.Hosting;

namespace AiLandscape.Tests.Benchmarks;

/// <summary>
/// The short variant of benchmarks/http/run's throughput step (ADR 0019): at the seed's size, the app with its rate
/// limit raised as the script raises it, and the bare Kestrel + Npgsql endpoint running the SQL the app's handler
/// sends, each under wrk for two seconds with the script's status-counting Lua. Asserts that figures and status
/// counts come out and that no request was refused (429) or failed (5xx); no timing is asserted.
/// </summary>
public sealed class HttpHarnessTests
{
    private static readonly Dictionary<string, string?> BenchmarkSettings = new()
    {
        ["RateLimiting:PermitLimit"] = "1000000000",
        [BenchmarkDiagnostics.Setting] = "true",
    };

    [Fact]
    public async Task Wrk_measures_the_app_and_the_bare_endpoint_on_the_same_sql_without_a_refused_or_failed_request()
    {
        var connectionString = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("http_harness");

        var endpoints = await BareApi.CaptureAsync(connectionString);
        Assert.Equal(["/bare/companies", "/bare/rounds"], endpoints.Select(e => e.Path));
        Assert.All(endpoints, e => Assert.NotEmpty(e.Commands));
        Assert.Contains(endpoints[0].Commands, c => c.Sql.Contains("companies", StringComparison.Ordinal));

        await using var bare = BareApi.Build(connectionString, "http://127.0.0.1:0", endpoints);
        await bare.StartAsync();
        var bareAddress = BareApi.Addresses(bare).First();
        using var http = new HttpClient();
        // The bare answer carries every row of every command: the seed's 7 companies are in the page.
        using (var page = JsonDocument.Parse(await http.GetStringAsync($"{bareAddress}/bare/companies")))
        {
            var results = page.RootElement.GetProperty("results").EnumerateArray().ToList();
            Assert.Equal(endpoints[0].Commands.Count, results.Count);
            Assert.Contains(results, r => r.GetArrayLength() == 7);
        }

        await using var app = new AppFactory(connectionString, "Benchmark", BenchmarkSettings, realSocket: true);
        var appAddress = app.StartAndGetAddress();

        foreach (var url in new[] { $"{appAddress}/api/v1/companies", $"{bareAddress}/bare/companies" })
        {
            var figures = await WrkAsync(url);
            Assert.True(figures.GetProperty("requests").GetInt64() > 0, $"{url}: no request completed");
            // More requests than the shipped limit of 120 a minute from one client: the raised limit took effect.
            var statuses = figures.GetProperty("statuses").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
            Assert.Equal(["200"], statuses.Keys);
            Assert.Equal(0, figures.GetProperty("non_2xx").GetInt64());
            Assert.All(figures.GetProperty("socket_errors").EnumerateObject(), e => Assert.Equal(0, e.Value.GetInt64()));
            Assert.True(figures.GetProperty("requests_per_second").GetDouble() > 0);
        }

        await bare.StopAsync();
    }

    [Fact]
    public async Task The_heap_figure_answers_only_when_switched_on_outside_production()
    {
        var connectionString = await (await TestPostgres.GetAsync()).CreateDatabaseAsync("heap_endpoint");

        await using (var benchmark = new AppFactory(connectionString, "Benchmark", BenchmarkSettings))
        {
            using var heap = JsonDocument.Parse(await benchmark.CreateClient().GetStringAsync(BenchmarkDiagnostics.HeapPath));
            Assert.True(heap.RootElement.GetProperty("managedHeapBytes").GetInt64() > 0);
        }
        // Off by default, and never in Production even when the setting is there.
        await using (var unset = new AppFactory(connectionString, "Benchmark"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await unset.CreateClient().GetAsync(BenchmarkDiagnostics.HeapPath)).StatusCode);
        }
        await using (var production = new AppFactory(connectionString, "Production", BenchmarkSettings))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await production.CreateClient().GetAsync(BenchmarkDiagnostics.HeapPath)).StatusCode);
        }
    }

    /// <summary>wrk for two seconds with benchmarks/http/status.lua; the JSON line it prints.</summary>
    private static async Task<JsonElement> WrkAsync(string url)
    {
        var start = new ProcessStartInfo("wrk")
        {
            ArgumentList = { "-t1", "-c4", "-d2s", "-s", Path.Combine(RepoPaths.Root, "benchmarks", "http", "status.lua"), url },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        var errors = await wrk.StandardError.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        Assert.True(wrk.ExitCode == 0, $"wrk failed: {errors}{output}");
        var line = output.Split('\n').Single(l => l.StartsWith("WRK_JSON ", StringComparison.Ordinal));
        return JsonDocument.Parse(line["WRK_JSON ".Length..]).RootElement.Clone();
    }
}

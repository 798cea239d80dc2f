using System.Text.Json;
using AiLandscape.Benchmarks;

namespace AiLandscape.Tests.Benchmarks;

/// <summary>
/// The benchmark at a tiny scale (2×, three samples): every case still runs against both databases, and the files it
/// writes have the documented shape (ADR 0019), so a full run at 1,000× is not the first time a case is exercised.
/// No timing is asserted: the figures only have to be real numbers.
/// </summary>
public sealed class BenchmarkReportTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("ailandscape-bench-test-").FullName;

    [Fact]
    public async Task A_tiny_run_measures_every_case_at_both_scales_and_writes_the_documented_json_and_table()
    {
        var report = await BenchmarkRunner.RunAsync(new BenchmarkOptions
        {
            Scale = 2, Samples = 3, WarmUp = 1, ExportSamples = 1, OutputDirectory = _out,
        }, TextWriter.Null);

        var caseNames = Cases.All().Select(c => c.Name).ToList();
        Assert.Equal(caseNames.Count, caseNames.Distinct().Count());
        Assert.Equal(caseNames.Count * 2, report.Cases.Count);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_out, "latest.json")));
        var cases = json.RootElement.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(caseNames.Count * 2, cases.Count);
        foreach (var c in cases)
        {
            var name = c.GetProperty("name").GetString();
            Assert.Contains(name, caseNames);
            Assert.Contains(c.GetProperty("scale").GetInt32(), new[] { 1, 2 });
            foreach (var figure in new[] { "p50_ms", "p95_ms", "p99_ms" })
            {
                var ms = c.GetProperty(figure).GetDouble();
                Assert.True(double.IsFinite(ms) && ms > 0, $"{name}: {figure} = {ms}");
            }
            Assert.True(c.GetProperty("p50_ms").GetDouble() <= c.GetProperty("p99_ms").GetDouble(), $"{name}: p50 above p99");
            Assert.True(c.GetProperty("sql_commands").GetInt32() > 0, $"{name} at {c.GetProperty("scale")}x sent no SQL");
        }
        foreach (var name in caseNames)
        {
            Assert.Equal([1, 2], cases.Where(c => c.GetProperty("name").GetString() == name)
                .Select(c => c.GetProperty("scale").GetInt32()).Order());
        }

        var ratios = json.RootElement.GetProperty("ratios").EnumerateArray().ToList();
        Assert.Equal(caseNames, ratios.Select(r => r.GetProperty("case").GetString()));
        Assert.All(ratios, r => Assert.True(double.IsFinite(r.GetProperty("p95_ratio").GetDouble())));

        var table = await File.ReadAllLinesAsync(Path.Combine(_out, "latest.md"));
        Assert.All(caseNames, name => Assert.Contains(table, line => line.StartsWith($"| {name} |", StringComparison.Ordinal)));
    }

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        var samples = Enumerable.Range(1, 200).Select(i => (double)i).Reverse().ToList();
        Assert.Equal(100, BenchmarkRunner.NearestRank(samples, 50));
        Assert.Equal(190, BenchmarkRunner.NearestRank(samples, 95));
        Assert.Equal(198, BenchmarkRunner.NearestRank(samples, 99));
        Assert.Equal(7, BenchmarkRunner.NearestRank([7], 99));
    }

    public void Dispose() => Directory.Delete(_out, recursive: true);
}

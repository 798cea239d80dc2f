using System.Diagnostics;

namespace AiLandscape.Tests.Features.Security;

/// <summary>
/// The short variant of tools/security/sqlmap: sqlmap (Debian package) against every query parameter of
/// /api/v1/rounds, the API's widest list (13 parameters: dates, amounts, enums, lists, free text), at level 1 without
/// the time-based technique. The full script scans every GET operation's query and path parameters.
/// </summary>
public sealed class SqlmapScanTests
{
    [Fact]
    public async Task Sqlmap_finds_no_injection_point_in_any_parameter_of_the_rounds_list()
    {
        Assert.True(File.Exists("/usr/bin/sqlmap") || (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, "sqlmap"))),
            "sqlmap is not installed: apt-get install sqlmap (.ci/run installs it)");
        await using var app = new AppFactory(await (await TestPostgres.GetAsync()).CreateDatabaseAsync("sqlmap"),
            settings: new() { ["RateLimiting:PermitLimit"] = "1000000000" }, realSocket: true);
        var address = app.StartAndGetAddress();

        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { Path.Combine(RepoPaths.Root, "tools", "security", "sqlmap"), "--url", address, "--only", "/api/v1/rounds", "--level", "1", "--techniques", "BEU" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var scan = Process.Start(start)!;
        var output = scan.StandardOutput.ReadToEndAsync();
        var errors = scan.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await scan.WaitForExitAsync(timeout.Token);
        var text = await output + await errors;
        Assert.True(scan.ExitCode == 0, $"tools/security/sqlmap exited {scan.ExitCode}:\n{text}");
        Assert.Contains("sqlmap: 1 targets, 0 with an injection point, 0 not tested to the end", text);
        Assert.Contains("nothing found: 13 of 13 parameters tested", text);
    }
}

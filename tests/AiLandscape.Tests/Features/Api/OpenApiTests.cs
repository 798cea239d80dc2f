using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AiLandscape.Tests.Features.Api;

/// <summary>The OpenAPI document: complete, described, lint-clean (Redocly), and its reference page served offline.</summary>
public partial class OpenApiTests(ApiApp api) : IClassFixture<ApiApp>
{
    private static readonly string[] Paths =
    [
        "/api/v1/companies", "/api/v1/companies/{slug}", "/api/v1/investors", "/api/v1/investors/{slug}",
        "/api/v1/rounds", "/api/v1/valuations", "/api/v1/events", "/api/v1/models", "/api/v1/sources",
        "/api/v1/exchange-rates", "/api/v1/search",
    ];

    /// <summary>The write API (editors), documented in the same document.</summary>
    private static readonly string[] WritePaths = new[] { "rounds", "valuations", "events", "models", "sources", "exchange-rates" }
        .SelectMany(r => new[] { $"/api/v1/{r}/{{id}}/edit", $"/api/v1/{r}/{{id}}" })
        .Concat(new[] { "companies", "people", "investors" }.Select(r => $"/api/v1/{r}/{{slug}}/edit"))
        .Concat(["/api/v1/people", "/api/v1/people/{slug}"])
        .ToArray();

    [Fact]
    public async Task The_document_lists_every_endpoint_with_summary_tag_parameters_and_responses()
    {
        var doc = (await ApiResponse.GetAsync(api.Client, "/openapi/v1.json")).Ok().Json;
        Assert.StartsWith("3.", doc.GetProperty("openapi").GetString());
        var paths = doc.GetProperty("paths");
        Assert.Equal(Paths.Concat(WritePaths).Order(), paths.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["get", "post"], paths.GetProperty("/api/v1/rounds").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(["delete", "put"], paths.GetProperty("/api/v1/rounds/{id}").EnumerateObject().Select(p => p.Name).Where(n => n != "parameters").Order());
        foreach (var path in Paths)
        {
            var get = paths.GetProperty(path).GetProperty("get");
            Assert.False(string.IsNullOrEmpty(get.GetProperty("summary").GetString()), path);
            Assert.NotEmpty(get.GetProperty("tags").EnumerateArray());
            var responses = get.GetProperty("responses");
            Assert.True(responses.TryGetProperty("200", out var ok), path);
            Assert.True(ok.GetProperty("content").TryGetProperty("application/json", out _), path);
            foreach (var status in new[] { "400", "429" })
            {
                Assert.True(responses.GetProperty(status).GetProperty("content").TryGetProperty("application/problem+json", out _),
                    $"{path} {status}");
            }
        }
        Assert.True(paths.GetProperty("/api/v1/companies/{slug}").GetProperty("get").GetProperty("responses").TryGetProperty("404", out _));
        var roundParams = paths.GetProperty("/api/v1/rounds").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!);
        Assert.Equal(["company", "currency", "dir", "disclosure", "from", "investor", "max", "min", "page", "pageSize", "sort", "stage", "to"],
            roundParams.Keys.Order());
        Assert.Contains("SeriesA", roundParams["stage"].GetProperty("schema").GetProperty("items").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("integer", roundParams["pageSize"].GetProperty("schema").GetProperty("type").GetString());
    }

    [Fact]
    public async Task The_reference_page_answers_html_and_loads_its_script_from_the_app_not_a_cdn()
    {
        var docs = new Uri(api.Client.BaseAddress!, "/api/docs");
        var page = await api.Client.GetAsync(docs);
        if (page.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Found)
        {
            docs = new Uri(docs, page.Headers.Location!); // "docs/": relative to the address asked for
            page = await api.Client.GetAsync(docs);
        }
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var scripts = ScriptSrc().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var src in scripts)
        {
            Assert.False(src.Contains("//", StringComparison.Ordinal), $"the page loads {src} from another host");
            var script = await api.Client.GetAsync(new Uri(docs, src));
            Assert.True(script.StatusCode == HttpStatusCode.OK, $"{src}: {(int)script.StatusCode}");
            Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 1000, $"{src} is empty");
        }
        Assert.DoesNotContain("cdn.jsdelivr", html, StringComparison.OrdinalIgnoreCase);
        // The page points Scalar at the app's own document.
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
        // Nothing else is fetched from scalar.com: no web fonts, no telemetry.
        Assert.Contains("\"withDefaultFonts\":false", html);
        Assert.Contains("\"telemetry\":false", html);
    }

    [Fact]
    public async Task The_document_passes_redocly_lint()
    {
        var json = await api.Client.GetStringAsync("/openapi/v1.json");
        var file = Path.Combine(Path.GetTempPath(), $"ailandscape-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, json);
        try
        {
            var lintDir = Path.Combine(RepoRoot(), "tools", "openapi-lint");
            if (!Directory.Exists(Path.Combine(lintDir, "node_modules", "@redocly")))
            {
                var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], lintDir);
                Assert.True(install.ExitCode == 0, $"npm ci in {lintDir} failed:\n{install.Output}");
            }
            var lint = await RunAsync("npx", ["--prefix", lintDir, "redocly", "lint", "--config", Path.Combine(lintDir, "redocly.yaml"), file], lintDir);
            Assert.True(lint.ExitCode == 0, $"redocly lint reported errors:\n{lint.Output}");
            // Warnings count too: a rule that makes no sense here is turned off in redocly.yaml, with the reason.
            Assert.False(lint.Output.Contains("Warning was generated", StringComparison.Ordinal),
                $"redocly lint reported warnings:\n{lint.Output}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string tool, string[] args, string workingDirectory)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        // No telemetry and no update checks: the lint must work without reaching anything.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Fail($"'{tool}' was not found: the OpenAPI lint needs Node.js (20.19 or later) and npm. Install them, " +
                        "e.g. `apt-get install nodejs npm` (Debian/Ubuntu; .ci/run does this) or from https://nodejs.org, " +
                        "then run the tests again.");
            throw;
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AiLandscape.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("AiLandscape.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("<script[^>]*\\ssrc=\"([^\"]+)\"")]
    private static partial Regex ScriptSrc();
}

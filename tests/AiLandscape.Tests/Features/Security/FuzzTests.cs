using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Tests.Features.Import;
using AiLandscape.Web.Features.ApiTokens;
using AiLandscape.Web.Features.Import;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Security;

/// <summary>
/// Malformed input everywhere a client can put text: every query and path parameter of the API (from its OpenAPI
/// document, so a new one cannot be left out), every field of every record's write body (the edit pages save through
/// the same services and requests, so this covers their fields: <see cref="WriteBodyFuzzTests"/>, a class of its own so
/// that both run at once), and every column of the round import. The server
/// never answers 5xx, and whatever it refuses leaves the data as it was (no audit entry, no row).
/// </summary>
[RunsLong(90)]
public sealed class FuzzTests : IAsyncLifetime
{
    /// <summary>Text a careless or hostile client sends: overlong, control characters, direction marks, emoji, SQL and
    /// script fragments, formulas, numbers out of every range, impossible dates, and broken UTF-16.</summary>
    internal static readonly string[] Corpus =
    [
        "", " ", new string('a', 20_000), new string('名', 2_000),
        "\0", "a\u0000b", "\u0001\u0002\u0003", "\u001b[31mred", "line\r\nbreak", "\t",
        "\u202Eevil\u202C", "\u200F\u200E", "\uFEFF", "🦄🚀", "👨‍👩‍👧", "\uD800", "\uDFFF\uD800",
        "' OR 1=1 --", "'; DROP TABLE companies; --", "1; SELECT pg_sleep(10)", "\\", "%", "_", "%00", "$1",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "javascript:alert(1)", "{{7*7}}",
        "=cmd|' /C calc'!A0", "@SUM(1+1)",
        "99999999999999999999999999999999", "-99999999999999999999", "1e309", "-1e309", "NaN", "Infinity", "-0", "0x10",
        "-1", "2147483648", "-2147483649", "1.7976931348623157E+309", "0.0000000000000000000000001",
        "2025-13-45", "0000-00-00", "9999-12-31T25:61:00", "2025-02-30", "-0001-01-01", "99999-01-01", "yesterday",
    ];

    /// <summary>The corpus as it goes into a URL or a form body, and bytes that are no UTF-8 at all (a lone surrogate's
    /// CESU-8 bytes, a broken two-byte sequence, a byte-order mark's bytes alone) or no escape at all.</summary>
    internal static readonly string[] UrlEncodedCorpus =
        [.. Corpus.Select(Uri.EscapeDataString), "%C3%28", "%FF%FE", "%ED%A0%80", "%", "%zz"];

    private FuzzApp _fuzz = null!;
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = (_fuzz = await FuzzApp.StartAsync("fuzz")).App;

    public async Task DisposeAsync() => await _fuzz.DisposeAsync();

    [Fact]
    public async Task Every_api_parameter_takes_malformed_input_without_a_server_error()
    {
        using var client = await _fuzz.ClientAsync(EditingApp.Editor);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var operations = new List<(string Path, string Method, List<(string Name, string In)> Parameters)>();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "delete"))
            {
                var parameters = operation.Value.TryGetProperty("parameters", out var list)
                    ? list.EnumerateArray().Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!)).ToList()
                    : [];
                operations.Add((path.Name, operation.Name, parameters));
            }
        }
        var parameterCount = operations.Sum(o => o.Parameters.Count);
        Assert.True(parameterCount >= 40, $"only {parameterCount} parameters in the OpenAPI document");

        var requests = operations.SelectMany(o => o.Parameters.SelectMany(p => UrlEncodedCorpus.Select(value => Request(o.Path, o.Method, p, value))))
            .ToList();
        var before = await _fuzz.AuditCountAsync();
        var errors = new System.Collections.Concurrent.ConcurrentBag<string>();
        // A few at a time (none of them writes): the server waits on the database for most of each.
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (r, ct) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(r.Method.ToUpperInvariant()), r.Url);
            using var response = await client.SendAsync(request, ct);
            if ((int)response.StatusCode >= 500)
            {
                errors.Add($"{r.Method.ToUpperInvariant()} {r.Url}: {(int)response.StatusCode} {Shorten(await response.Content.ReadAsStringAsync(ct))}");
            }
        });
        Assert.True(errors.IsEmpty, $"{errors.Count} of {requests.Count} requests failed on the server:\n" + string.Join("\n", errors.Order().Take(40)));
        // Only GET and DELETE with a broken key or version: none of them may have deleted anything.
        Assert.Equal(before, await _fuzz.AuditCountAsync());
    }

    [Theory]
    [InlineData("Deep\u0000Seek", "U+0000")]
    [InlineData("Deep\u202ESeek", "U+202E")]
    [InlineData("Deep\u0007Seek", "U+0007")]
    public async Task Text_with_a_control_or_direction_override_character_is_refused_naming_the_field(string name, string codePoint)
    {
        using var client = await _fuzz.ClientAsync(EditingApp.Editor);
        var body = JsonNode.Parse(await client.GetStringAsync("/api/v1/companies/deepseek/edit"))!.AsObject();
        body["nameEn"] = System.Text.RegularExpressions.Regex.Unescape(name);
        var before = await _fuzz.AuditCountAsync();
        using var response = await client.PutAsync("/api/v1/companies/deepseek", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = Assert.Single(problem.RootElement.GetProperty("errors").GetProperty("nameEn").EnumerateArray()).GetString();
        Assert.Equal($"English name must not contain control or text-direction characters ({codePoint} at character 5).", message);
        Assert.Equal(before, await _fuzz.AuditCountAsync());
        // Emoji, right-to-left marks and every script are text, not control characters.
        Assert.Null(AiLandscape.Web.Features.Editing.TextRules.FirstRefused("深度求索 DeepSeek 🦄 \u200F שלום\tline\nbreak"));
    }

    [Fact]
    public async Task Every_column_of_the_round_import_takes_malformed_input_without_an_error_and_writes_only_valid_rows()
    {
        var import = await _app.ServiceAsAsync<RoundImportService>(EditingApp.Editor);
        var errors = new List<string>();
        foreach (var column in RoundCsvColumns.Imported)
        {
            foreach (var value in Corpus)
            {
                var row = RoundImportTests.DeepSeekRound();
                row[column] = value;
                ImportPreview preview;
                try
                {
                    preview = await import.PreviewAsync(RoundImportTests.Csv(row), "fuzz.csv");
                }
                catch (Exception e)
                {
                    errors.Add($"{column} = {Shorten(value)}: preview threw {e.GetType().Name}: {e.Message}");
                    continue;
                }
                var imported = preview.Rows.Count(r => r.Status == ImportRowStatus.New);
                if (imported == 0)
                {
                    continue; // refused with a message: the preview offers nothing to commit
                }
                // Accepted as a new round (e.g. an emoji in the notes): it must commit cleanly; then it is taken out again.
                var before = await _fuzz.AuditCountAsync();
                try
                {
                    var committed = await import.CommitAsync(preview);
                    if (!committed.Save.Succeeded && await _fuzz.AuditCountAsync() != before)
                    {
                        errors.Add($"{column} = {Shorten(value)}: the commit failed but wrote");
                    }
                    if (committed.Save.Succeeded)
                    {
                        await using var db = _app.OwnerDb();
                        await db.FundingRounds.Where(r => committed.RoundIds.Contains(r.Id)).ExecuteDeleteAsync();
                    }
                }
                catch (Exception e)
                {
                    errors.Add($"{column} = {Shorten(value)}: commit threw {e.GetType().Name}: {e.Message}");
                }
            }
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(40)));
    }

    /// <summary>The address of an operation with one parameter set to <paramref name="value"/> and the others valid.</summary>
    private static (string Method, string Url) Request(string template, string method, (string Name, string In) parameter, string value)
    {
        var path = template;
        var query = "";
        if (parameter.In == "path")
        {
            path = path.Replace("{" + parameter.Name + "}", value, StringComparison.Ordinal);
        }
        else
        {
            query = "?" + parameter.Name + "=" + value + (method == "delete" && parameter.Name != "version" ? "&version=1" : "");
        }
        return (method, FillOtherParameters(path) + query);
    }

    private static string FillOtherParameters(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, @"\{(\w+)\}", m => m.Groups[1].Value == "slug" ? "deepseek" : "1");

    /// <summary>Text for a failure message: control characters escaped (a test log with a NUL in it reads as binary).</summary>
    internal static string Shorten(string text)
    {
        var escaped = JsonSerializer.Serialize(text.Length <= 120 ? text : text[..120] + "…");
        return escaped[1..^1];
    }
}

/// <summary>The app the API fuzz tests run against: on a real socket (Kestrel parses the requests, as in production),
/// its rate limit lifted, with clients holding an API token.</summary>
internal sealed class FuzzApp(EditingApp app) : IAsyncDisposable
{
    private string? _address;

    public EditingApp App => app;

    public static async Task<FuzzApp> StartAsync(string purpose) =>
        new(await EditingApp.StartAsync(purpose, new() { ["RateLimiting:PermitLimit"] = "1000000" }, realSocket: true));

    public ValueTask DisposeAsync() => app.DisposeAsync();

    public async Task<int> AuditCountAsync()
    {
        await using var db = app.Db();
        return await db.AuditEntries.CountAsync();
    }

    public async Task<HttpClient> ClientAsync(string email)
    {
        var tokens = await app.ServiceAsAsync<ApiTokenService>(email);
        var token = await tokens.CreateAsync("fuzz", 30);
        Assert.True(token.Succeeded, token.Error);
        // Over a real socket: Kestrel parses the request line, as in production (an in-memory server refuses some
        // paths itself, on the client's side).
        var client = new HttpClient { BaseAddress = new Uri(_address ??= app.App.StartAndGetAddress()) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Created!.Token);
        return client;
    }
}

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
/// the same services and requests, so this covers their fields), and every column of the round import. The server
/// never answers 5xx, and whatever it refuses leaves the data as it was (no audit entry, no row).
/// </summary>
[RunsLong(270)]
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

    /// <summary>Values of other JSON kinds for a body field, whatever its type.</summary>
    private static readonly string[] JsonTokens =
    [
        "null", "true", "0", "-1", "1e309", "-1e309", "123456789012345678901234567890", "0.5", "[]", "{}", "[\"a\"]",
        "{\"a\":1}", "[null]", "[{}]", "2147483648", "-9223372036854775809",
    ];

    private EditingApp _app = null!;
    private string? _address;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("fuzz", new() { ["RateLimiting:PermitLimit"] = "1000000" }, realSocket: true);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_api_parameter_takes_malformed_input_without_a_server_error()
    {
        using var client = await ClientAsync(EditingApp.Editor);
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

        var before = await AuditCountAsync();
        var errors = new List<string>();
        var requests = 0;
        foreach (var (template, method, parameters) in operations)
        {
            foreach (var (name, location) in parameters)
            {
                foreach (var value in Corpus.Select(Uri.EscapeDataString).Concat(["%C3%28", "%FF%FE", "%ED%A0%80", "%", "%zz"]))
                {
                    var path = template;
                    var query = "";
                    if (location == "path")
                    {
                        path = path.Replace("{" + name + "}", value, StringComparison.Ordinal);
                    }
                    else
                    {
                        query = "?" + name + "=" + value + (method == "delete" && name != "version" ? "&version=1" : "");
                    }
                    path = FillOtherParameters(path);
                    using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), path + query);
                    using var response = await client.SendAsync(request);
                    requests++;
                    if ((int)response.StatusCode >= 500)
                    {
                        errors.Add($"{method.ToUpperInvariant()} {path}{query}: {(int)response.StatusCode} {Shorten(await response.Content.ReadAsStringAsync())}");
                    }
                }
            }
        }
        Assert.True(errors.Count == 0, $"{errors.Count} of {requests} requests failed on the server:\n" + string.Join("\n", errors.Take(40)));
        // Only GET and DELETE with a broken key or version: none of them may have deleted anything.
        Assert.Equal(before, await AuditCountAsync());
    }

    public static TheoryData<string, string> Records() => new()
    {
        { "companies", "deepseek" }, { "investors", "tencent" }, { "people", "kai-fu-lee" }, { "rounds", "1" },
        { "valuations", "1" }, { "events", "1" }, { "models", "1" }, { "sources", "1" }, { "exchange-rates", "1" },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public async Task Every_field_of_a_record_s_write_body_takes_malformed_input_without_a_server_error_or_a_partial_write(string resource, string key)
    {
        using var client = await ClientAsync(EditingApp.Editor);
        var baseline = JsonNode.Parse(await client.GetStringAsync($"/api/v1/{resource}/{key}/edit"))!.AsObject();
        var fields = Fields(baseline).ToList();
        Assert.True(fields.Count >= 3, $"{resource}: only {fields.Count} fields");
        var errors = new List<string>();
        var requests = 0;
        var at = key; // the record's key now (an accepted slug moves it until the next request puts the old one back)
        var audit = await AuditCountAsync();
        foreach (var field in fields)
        {
            var refused = new List<string>();
            var values = Corpus.Select(v => JsonValue.Create(v)!.ToJsonString()).Concat(JsonTokens);
            foreach (var value in values)
            {
                // The stored record with this one field changed: the body carries every other field as the baseline
                // has it, so a value accepted before is overwritten by this request and needs no restore of its own.
                var body = baseline.DeepClone().AsObject();
                Set(body, field, JsonNode.Parse(value));
                using var response = await client.PutAsync($"/api/v1/{resource}/{at}", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
                requests++;
                var text = await response.Content.ReadAsStringAsync();
                if ((int)response.StatusCode >= 500)
                {
                    errors.Add($"{string.Join('.', field)} = {Shorten(value)}: {(int)response.StatusCode} {Shorten(text)}");
                }
                else if (!response.IsSuccessStatusCode)
                {
                    refused.Add(Shorten(value));
                }
                else
                {
                    // Accepted (e.g. an emoji in a note, another slug): the next request needs the version it made.
                    at = JsonNode.Parse(text)?["slug"]?.GetValue<string>() is { } slug && !int.TryParse(key, out _) ? slug : key;
                    var current = JsonNode.Parse(await client.GetStringAsync($"/api/v1/{resource}/{at}/edit"))!.AsObject();
                    baseline["version"] = current["version"]!.DeepClone();
                    audit = await AuditCountAsync();
                }
            }
            // Refused requests write nothing: the audit trail has grown only by the accepted ones (checked per field;
            // a failure names the field and the values it refused).
            if (await AuditCountAsync() is var now && now != audit)
            {
                errors.Add($"{string.Join('.', field)}: refused {refused.Count} values ({string.Join(", ", refused.Take(10))}) but {now - audit} audit entries were written");
                audit = now;
            }
        }
        // Put the record back as it was, at its own key, for the tests after this one.
        using (var restore = await client.PutAsync($"/api/v1/{resource}/{at}", new StringContent(baseline.ToJsonString(), Encoding.UTF8, "application/json")))
        {
            Assert.True(restore.IsSuccessStatusCode, $"{resource}: restoring gave {(int)restore.StatusCode} {Shorten(await restore.Content.ReadAsStringAsync())}");
        }
        // A body that is not JSON at all, or not UTF-8.
        foreach (var raw in new[] { "{", "[1,2", "\"just text\"", "{\"name\": \"a\\uD800\"}" }.Select(Encoding.UTF8.GetBytes).Append([0x7B, 0x22, 0xC3, 0x28, 0x22, 0x7D]))
        {
            using var content = new ByteArrayContent(raw);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.PutAsync($"/api/v1/{resource}/{key}", content);
            requests++;
            if ((int)response.StatusCode >= 500)
            {
                errors.Add($"raw body {Convert.ToHexString(raw)}: {(int)response.StatusCode}");
            }
        }
        Assert.True(errors.Count == 0, $"{resource}: {errors.Count} of {requests} requests went wrong:\n" + string.Join("\n", errors.Take(40)));
    }

    [Theory]
    [InlineData("Deep\u0000Seek", "U+0000")]
    [InlineData("Deep\u202ESeek", "U+202E")]
    [InlineData("Deep\u0007Seek", "U+0007")]
    public async Task Text_with_a_control_or_direction_override_character_is_refused_naming_the_field(string name, string codePoint)
    {
        using var client = await ClientAsync(EditingApp.Editor);
        var body = JsonNode.Parse(await client.GetStringAsync("/api/v1/companies/deepseek/edit"))!.AsObject();
        body["nameEn"] = System.Text.RegularExpressions.Regex.Unescape(name);
        var before = await AuditCountAsync();
        using var response = await client.PutAsync("/api/v1/companies/deepseek", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = Assert.Single(problem.RootElement.GetProperty("errors").GetProperty("nameEn").EnumerateArray()).GetString();
        Assert.Equal($"English name must not contain control or text-direction characters ({codePoint} at character 5).", message);
        Assert.Equal(before, await AuditCountAsync());
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
                var before = await AuditCountAsync();
                try
                {
                    var committed = await import.CommitAsync(preview);
                    if (!committed.Save.Succeeded && await AuditCountAsync() != before)
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

    /// <summary>The path of a field (top level, or one level into objects and the first element of arrays).</summary>
    private static IEnumerable<string[]> Fields(JsonObject body)
    {
        foreach (var (name, node) in body)
        {
            if (name is "version" or "overwrite" or "loadedAt")
            {
                continue;
            }
            yield return [name];
            if (node is JsonArray { Count: > 0 } array && array[0] is JsonObject item)
            {
                foreach (var (inner, _) in item)
                {
                    yield return [name, "0", inner];
                }
            }
            else if (node is JsonObject inner)
            {
                foreach (var (innerName, _) in inner)
                {
                    yield return [name, innerName];
                }
            }
        }
    }

    private static void Set(JsonObject body, string[] field, JsonNode? value)
    {
        JsonNode target = body;
        foreach (var step in field[..^1])
        {
            target = int.TryParse(step, out var index) ? target[index]! : target[step]!;
        }
        target[field[^1]] = value;
    }

    private static string FillOtherParameters(string path) =>
        System.Text.RegularExpressions.Regex.Replace(path, @"\{(\w+)\}", m => m.Groups[1].Value == "slug" ? "deepseek" : "1");

    /// <summary>Text for a failure message: control characters escaped (a test log with a NUL in it reads as binary).</summary>
    private static string Shorten(string text)
    {
        var escaped = JsonSerializer.Serialize(text.Length <= 120 ? text : text[..120] + "…");
        return escaped[1..^1];
    }

    private async Task<int> AuditCountAsync()
    {
        await using var db = _app.Db();
        return await db.AuditEntries.CountAsync();
    }

    private async Task<HttpClient> ClientAsync(string email)
    {
        var tokens = await _app.ServiceAsAsync<ApiTokenService>(email);
        var token = await tokens.CreateAsync("fuzz", 30);
        Assert.True(token.Succeeded, token.Error);
        // Over a real socket: Kestrel parses the request line, as in production (an in-memory server refuses some
        // paths itself, on the client's side).
        var client = new HttpClient { BaseAddress = new Uri(_address ??= _app.App.StartAndGetAddress()) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Created!.Token);
        return client;
    }
}

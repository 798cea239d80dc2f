using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiLandscape.Tests.Features.Editing;

namespace AiLandscape.Tests.Features.Security;

/// <summary>
/// Every field of every record's API write body takes the malformed input of <see cref="FuzzTests.Corpus"/> and values
/// of every JSON kind (the edit pages save through the same services and requests, so this covers their fields): the
/// server never answers 5xx, and a refused body writes nothing. A class of its own, on an app of its own, so that it
/// runs beside <see cref="FuzzTests"/> (the assembly runs classes in parallel; in one class the two took 268 s).
/// </summary>
[RunsLong(270)]
public sealed class WriteBodyFuzzTests : IAsyncLifetime
{
    /// <summary>Values of other JSON kinds for a body field, whatever its type.</summary>
    private static readonly string[] JsonTokens =
    [
        "null", "true", "0", "-1", "1e309", "-1e309", "123456789012345678901234567890", "0.5", "[]", "{}", "[\"a\"]",
        "{\"a\":1}", "[null]", "[{}]", "2147483648", "-9223372036854775809",
    ];

    private FuzzApp _fuzz = null!;

    public async Task InitializeAsync() => _fuzz = await FuzzApp.StartAsync("fuzz_bodies");

    public async Task DisposeAsync() => await _fuzz.DisposeAsync();

    public static TheoryData<string, string> Records() => new()
    {
        { "companies", "deepseek" }, { "investors", "tencent" }, { "people", "kai-fu-lee" }, { "rounds", "1" },
        { "valuations", "1" }, { "events", "1" }, { "models", "1" }, { "sources", "1" }, { "exchange-rates", "1" },
    };

    [Theory]
    [MemberData(nameof(Records))]
    public async Task Every_field_of_a_record_s_write_body_takes_malformed_input_without_a_server_error_or_a_partial_write(string resource, string key)
    {
        using var client = await _fuzz.ClientAsync(EditingApp.Editor);
        var baseline = JsonNode.Parse(await client.GetStringAsync($"/api/v1/{resource}/{key}/edit"))!.AsObject();
        var fields = Fields(baseline).ToList();
        Assert.True(fields.Count >= 3, $"{resource}: only {fields.Count} fields");
        var errors = new List<string>();
        var requests = 0;
        var at = key; // the record's key now (an accepted slug moves it until the next request puts the old one back)
        var audit = await _fuzz.AuditCountAsync();
        foreach (var field in fields)
        {
            var refused = new List<string>();
            var values = FuzzTests.Corpus.Select(v => JsonValue.Create(v)!.ToJsonString()).Concat(JsonTokens);
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
                    errors.Add($"{string.Join('.', field)} = {FuzzTests.Shorten(value)}: {(int)response.StatusCode} {FuzzTests.Shorten(text)}");
                }
                else if (!response.IsSuccessStatusCode)
                {
                    refused.Add(FuzzTests.Shorten(value));
                }
                else
                {
                    // Accepted (e.g. an emoji in a note, another slug): the next request needs the version it made.
                    at = JsonNode.Parse(text)?["slug"]?.GetValue<string>() is { } slug && !int.TryParse(key, out _) ? slug : key;
                    var current = JsonNode.Parse(await client.GetStringAsync($"/api/v1/{resource}/{at}/edit"))!.AsObject();
                    baseline["version"] = current["version"]!.DeepClone();
                    audit = await _fuzz.AuditCountAsync();
                }
            }
            // Refused requests write nothing: the audit trail has grown only by the accepted ones (checked per field;
            // a failure names the field and the values it refused).
            if (await _fuzz.AuditCountAsync() is var now && now != audit)
            {
                errors.Add($"{string.Join('.', field)}: refused {refused.Count} values ({string.Join(", ", refused.Take(10))}) but {now - audit} audit entries were written");
                audit = now;
            }
        }
        // Put the record back as it was, at its own key, for the tests after this one.
        using (var restore = await client.PutAsync($"/api/v1/{resource}/{at}", new StringContent(baseline.ToJsonString(), Encoding.UTF8, "application/json")))
        {
            Assert.True(restore.IsSuccessStatusCode, $"{resource}: restoring gave {(int)restore.StatusCode} {FuzzTests.Shorten(await restore.Content.ReadAsStringAsync())}");
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
}

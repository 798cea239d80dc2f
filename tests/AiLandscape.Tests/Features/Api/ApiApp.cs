using System.Net;
using System.Text.Json;
using AiLandscape.Tests.Features.Accounts;

namespace AiLandscape.Tests.Features.Api;

/// <summary>One app on its own seeded database, shared by the tests of a class (read-only tests).</summary>
public sealed class ApiApp : IAsyncLifetime
{
    public AppFactory App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        // A limit no contract test reaches; the rate-limit test has its own app with a tiny one.
        App = new AppFactory(await pg.CreateDatabaseAsync("api"), settings: new() { ["RateLimiting:PermitLimit"] = "100000" });
        Client = AccountHttp.Client(App);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_scope is { } scope)
        {
            await scope.DisposeAsync();
        }
        await App.DisposeAsync();
    }

    private AsyncServiceScope? _scope;

    /// <summary>A service of the app, as a page would get it (one scope for the fixture's lifetime).</summary>
    public T Service<T>() where T : notnull => (_scope ??= App.Services.CreateAsyncScope()).ServiceProvider.GetRequiredService<T>();
}

/// <summary>A response read as JSON, with what the contract tests look at.</summary>
internal sealed record ApiResponse(HttpStatusCode Status, string? ContentType, JsonElement Json, string Text,
    HttpResponseMessage Message)
{
    public static async Task<ApiResponse> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        var json = text.Length > 0 && text[0] is '{' or '[' ? JsonDocument.Parse(text).RootElement.Clone() : default;
        return new ApiResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, json, text, response);
    }

    public IEnumerable<JsonElement> Items => Json.GetProperty("items").EnumerateArray();

    public IReadOnlyList<string> Strings(Func<JsonElement, JsonElement> select) =>
        Items.Select(i => select(i).GetString()!).ToList();

    public int Total => Json.GetProperty("total").GetInt32();

    /// <summary>Fails with the body unless the status is 200 and the body JSON.</summary>
    public ApiResponse Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"{(int)Status}: {Text}");
        Assert.Equal("application/json", ContentType);
        return this;
    }

    /// <summary>Fails unless this is problem details with the status (and naming the parameter, when given).</summary>
    public ApiResponse Problem(HttpStatusCode status, string? parameter = null)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Text}");
        Assert.Equal("application/problem+json", ContentType);
        Assert.Equal((int)status, Json.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(Json.GetProperty("title").GetString()));
        if (parameter is not null)
        {
            Assert.Contains($"'{parameter}'", Json.GetProperty("detail").GetString());
            Assert.Equal(parameter, Json.GetProperty("parameter").GetString());
        }
        return this;
    }
}

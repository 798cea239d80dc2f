using System.Net;
using System.Net.Http.Headers;
using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Web.Features.ApiTokens;

namespace AiLandscape.Tests.Features.Api;

/// <summary>The API's rate limit and RequireLoginToRead, each on an app of its own.</summary>
public class ApiLimitsAndAccessTests
{
    [Fact]
    public async Task Past_the_limit_the_api_answers_429_with_retry_after_and_a_problem()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("api_limit"), settings: new()
        {
            ["RateLimiting:PermitLimit"] = "3",
            ["RateLimiting:WindowSeconds"] = "600",
        });
        using var client = AccountHttp.Client(app);
        for (var i = 0; i < 3; i++)
        {
            (await ApiResponse.GetAsync(client, "/api/v1/exchange-rates")).Ok();
        }
        var rejected = (await ApiResponse.GetAsync(client, "/api/v1/companies")).Problem(HttpStatusCode.TooManyRequests);
        var retryAfter = rejected.Message.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalSeconds, 1, 600);
        // The site's search box keeps the box's own pages unlimited, but its API endpoint shares the limit.
        (await ApiResponse.GetAsync(client, "/api/v1/search?q=deepseek")).Problem(HttpStatusCode.TooManyRequests);
        // Exports share the limit: they read whole tables.
        var export = await client.GetAsync("/export/companies.csv");
        Assert.Equal(HttpStatusCode.TooManyRequests, export.StatusCode);
        Assert.NotNull(export.Headers.RetryAfter);
        // Pages are not limited by the API's policy.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/companies")).StatusCode);
    }

    [Fact]
    public async Task Require_login_to_read_makes_the_api_answer_401_problems_to_anonymous_callers()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("api_closed"),
            settings: new() { ["Access:RequireLoginToRead"] = "true" });
        using var client = AccountHttp.Client(app);
        foreach (var path in new[] { "/api/v1/companies", "/api/v1/companies/deepseek", "/api/v1/rounds?stage=SeriesA", "/api/v1/nothing" })
        {
            var response = (await ApiResponse.GetAsync(client, path)).Problem(HttpStatusCode.Unauthorized);
            Assert.Null(response.Message.Headers.Location);
        }

        await AccountHttp.LoginOrFailAsync(client, "analyst@example.com");
        (await ApiResponse.GetAsync(client, "/api/v1/companies/deepseek")).Ok();
    }

    [Fact]
    public async Task Require_login_to_read_lets_a_script_read_the_api_with_its_token_and_refuses_a_bad_one()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("api_closed_token"),
            settings: new() { ["Access:RequireLoginToRead"] = "true" });
        string token;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            AccountHttp.SignInCircuit(scope.ServiceProvider, await AccountHttp.PrincipalOfAsync(scope.ServiceProvider, "analyst@example.com"));
            var created = await scope.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("notebook", 30);
            Assert.True(created.Succeeded, created.Error);
            token = created.Created!.Token;
        }
        using var client = AccountHttp.Client(app);

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var company = (await ApiResponse.GetAsync(client, "/api/v1/companies/deepseek")).Ok();
        Assert.Equal("deepseek", company.Json.GetProperty("slug").GetString());

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token[..^2] + "xx");
        (await ApiResponse.GetAsync(client, "/api/v1/companies/deepseek")).Problem(HttpStatusCode.Unauthorized);
    }
}

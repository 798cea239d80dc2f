using System.Net;
using System.Net.Http.Headers;
using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.ApiTokens;
using Microsoft.AspNetCore.Http;

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

    [Fact]
    public async Task Before_authentication_bad_tokens_and_views_as_of_a_day_are_limited_per_address()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("address_limits"), settings: new()
        {
            ["RateLimiting:PermitLimit"] = "3",
            ["RateLimiting:WindowSeconds"] = "600",
            ["RateLimiting:TokenCallersPerAddress"] = "1",
        });
        using var client = AccountHttp.Client(app);

        // A write with a bad token is refused by authentication, which runs after this limit: the fourth is 429.
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/valuations/1");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "ail_not-a-token-" + i);
            using var refused = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/valuations/1"))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "ail_yet-another-guess");
            using var limited = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
            Assert.NotNull(limited.Headers.RetryAfter);
        }

        // Pages as of a day: three, then a clear 429; today's pages are not limited.
        foreach (var path in new[] { "/?asOf=2025-01-01&view=event", "/companies/deepseek?asOf=2024-06-01&view=knowledge", "/?asOf=2024-01-01" })
        {
            using var page = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        }
        // What a browser asks for (it would take JSON too): a line of text.
        using var pageRequest = new HttpRequestMessage(HttpMethod.Get, "/compare?asOf=2025-01-01&view=event");
        pageRequest.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var tooMany = await client.SendAsync(pageRequest);
        Assert.Equal(HttpStatusCode.TooManyRequests, tooMany.StatusCode);
        Assert.NotNull(tooMany.Headers.RetryAfter);
        Assert.Equal("text/plain", tooMany.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Too many requests. At most 3 views as of a day per 600 seconds", await tooMany.Content.ReadAsStringAsync());
        using var today = await client.GetAsync("/companies/deepseek");
        Assert.Equal(HttpStatusCode.OK, today.StatusCode);
    }

    [Fact]
    public async Task A_limit_lifted_to_a_billion_still_answers_token_requests()
    {
        // A billion times the callers per address does not fit an int: it must not wrap around to a 500.
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("address_limit_lifted"),
            settings: new() { ["RateLimiting:PermitLimit"] = "1000000000" });
        using var client = AccountHttp.Client(app);
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/v1/valuations/1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "ail_not-a-token");
        using var refused = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public void Anonymous_api_callers_are_counted_by_address_and_ipv6_ones_by_their_64()
    {
        static string Key(string ip)
        {
            var context = new DefaultHttpContext();
            context.Connection.RemoteIpAddress = IPAddress.Parse(ip);
            return ApiSetup.ClientKey(context);
        }
        Assert.Equal(Key("2001:db8:1:2::1"), Key("2001:db8:1:2:ffff:ffff:ffff:9"));
        Assert.NotEqual(Key("2001:db8:1:2::1"), Key("2001:db8:1:3::1"));
        Assert.Equal("ip:203.0.113.7", Key("203.0.113.7"));
        Assert.Equal("ip:203.0.113.7", Key("::ffff:203.0.113.7"));
    }
}

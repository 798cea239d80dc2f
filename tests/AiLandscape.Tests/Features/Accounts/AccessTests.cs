using System.Net;
using System.Net.Http.Json;

namespace AiLandscape.Tests.Features.Accounts;

/// <summary>Who may read what: open by default, login-only with Access:RequireLoginToRead, admin pages for admins.</summary>
public class AccessTests
{
    [Fact]
    public async Task By_default_anonymous_visitors_read_everything_but_the_admin_pages()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("access_open"));
        using var client = AccountHttp.Client(app);

        foreach (var path in new[] { "/", "/companies", "/companies/deepseek", "/account/login" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {response.Headers.Location}");
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);
        var users = await client.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Found, users.StatusCode);
        Assert.Equal("/account/login", users.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=%2Fadmin%2Fusers", users.Headers.Location.Query);
    }

    [Fact]
    public async Task Require_login_to_read_sends_visitors_to_the_login_page_but_keeps_health_assets_and_login_open()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("access_closed"),
            settings: new() { ["Access:RequireLoginToRead"] = "true" });
        using var client = AccountHttp.Client(app);

        foreach (var path in new[] { "/companies", "/", "/investors" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Found, $"{path}: {(int)response.StatusCode}");
            Assert.Equal("/account/login", response.Headers.Location!.AbsolutePath);
        }
        // APIs answer 401 rather than redirecting to a form.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/no-such-thing")).StatusCode);
        var unknown = await client.GetAsync("/no-such-page?x=1");
        Assert.Equal(HttpStatusCode.Found, unknown.StatusCode);
        Assert.Equal("?returnUrl=%2Fno-such-page%3Fx%3D1", unknown.Headers.Location!.Query);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var login = await client.GetAsync("/account/login?returnUrl=%2Fcompanies");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var html = await login.Content.ReadAsStringAsync();
        // The login page's own styles and scripts (MudBlazor, the app's, Blazor's) must load for a visitor.
        var assets = System.Text.RegularExpressions.Regex.Matches(html, "(?:href|src)=\"([^\"]+\\.(?:css|js))\"")
            .Select(m => m.Groups[1].Value).Where(u => !u.StartsWith("http", StringComparison.Ordinal)).ToList();
        Assert.Contains(assets, a => a.Contains("MudBlazor", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.Contains("blazor.web", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.Contains("AiLandscape.Web.", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            Assert.True((await client.GetAsync("/" + asset.TrimStart('/'))).StatusCode == HttpStatusCode.OK, asset);
        }

        var loggedIn = await AccountHttp.LoginAsync(client, "analyst@example.com", AccountHttp.DemoPassword, returnUrl: "/companies");
        Assert.Equal(HttpStatusCode.Found, loggedIn.StatusCode);
        Assert.Equal("/companies", new Uri(client.BaseAddress!, loggedIn.Headers.Location!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/companies")).StatusCode);
        var me = await client.GetFromJsonAsync<AiLandscape.Web.Features.Accounts.MeResponse>("/api/account/me");
        Assert.Equal("analyst@example.com", me!.UserName);
        Assert.Equal("Demo Analyst", me.DisplayName);
        Assert.Equal(["Analyst"], me.Roles);
        Assert.False(me.CanEdit);
    }

    [Fact]
    public async Task The_users_page_is_refused_to_analysts_and_editors()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("access_admin"));
        foreach (var email in new[] { "analyst@example.com", "editor@example.com" })
        {
            using var client = AccountHttp.Client(app);
            await AccountHttp.LoginOrFailAsync(client, email);

            var response = await client.GetAsync("/admin/users");

            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            Assert.Equal("/account/access-denied", response.Headers.Location!.AbsolutePath);
            var denied = await client.GetAsync(response.Headers.Location);
            Assert.Equal(HttpStatusCode.OK, denied.StatusCode);
            Assert.Contains("Access denied", await denied.Content.ReadAsStringAsync());
            Assert.DoesNotContain("/admin/users\"", await (await client.GetAsync("/companies")).Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task Admins_see_the_users_page_and_the_users_link()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("access_admin_ok"));
        using var client = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(client, "admin@example.com");

        var response = await client.GetAsync("/admin/users");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("href=\"/admin/users\"", html);
        Assert.Contains("Demo Admin", html);
    }
}

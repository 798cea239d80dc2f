using System.Net;
using AiLandscape.Web.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using AiLandscape.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;

namespace AiLandscape.Tests.Features.Accounts;

/// <summary>The login form, lockout, disabled accounts, session revalidation, logout and password change over HTTP.</summary>
public class LoginTests
{
    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_even_against_the_right_password()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("login_lockout"));
        using var client = AccountHttp.Client(app);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await AccountHttp.LoginAsync(client, "editor@example.com", "Wrong-Password-" + attempt);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Equal(LoginOutcome.IncorrectMessage, AccountHttp.ErrorOf(await wrong.Content.ReadAsStringAsync()));
        }
        // Locked now; the answer is the same as for a wrong password or an unknown email (no account enumeration).
        var fifth = await AccountHttp.LoginAsync(client, "editor@example.com", "Wrong-Password-5");
        Assert.Equal(LoginOutcome.IncorrectMessage, AccountHttp.ErrorOf(await fifth.Content.ReadAsStringAsync()));

        var right = await AccountHttp.LoginAsync(client, "editor@example.com", AccountHttp.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(LoginOutcome.IncorrectMessage, AccountHttp.ErrorOf(await right.Content.ReadAsStringAsync()));

        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("editor@example.com");
        Assert.InRange(user!.LockoutEnd!.Value, DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));
    }

    [Fact]
    public async Task Thirty_failed_sign_ins_from_one_client_are_throttled_and_other_clients_are_not()
    {
        var pg = await TestPostgres.GetAsync();
        var shipped = new AccountsOptions();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("login_throttle"), settings: new()
        {
            ["Accounts:LoginAttemptsPerClient"] = shipped.LoginAttemptsPerClient.ToString(),
            ["Accounts:LoginAttemptsPerAccount"] = shipped.LoginAttemptsPerAccount.ToString(),
        });
        // Two clients behind a trusted proxy, told apart by X-Forwarded-For.
        using var attacker = AccountHttp.Client(app);
        attacker.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        using var colleague = AccountHttp.Client(app);
        colleague.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.20");

        var messages = new List<string?>();
        for (var attempt = 1; attempt <= 30; attempt++)
        {
            var response = await AccountHttp.LoginAsync(attacker, $"guess{attempt}@example.org", "Wrong-Password-" + attempt);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            messages.Add(AccountHttp.ErrorOf(await response.Content.ReadAsStringAsync()));
        }
        Assert.All(messages.Take(shipped.LoginAttemptsPerClient), m => Assert.Equal(LoginOutcome.IncorrectMessage, m));
        Assert.All(messages.Skip(shipped.LoginAttemptsPerClient), m => Assert.Equal(LoginOutcome.ThrottledMessage, m));

        // While throttled, even the right password does not get in from that client...
        var right = await AccountHttp.LoginAsync(attacker, "analyst@example.com", AccountHttp.DemoPassword);
        Assert.Equal(LoginOutcome.ThrottledMessage, AccountHttp.ErrorOf(await right.Content.ReadAsStringAsync()));
        // ...but another client signs in as usual.
        await AccountHttp.LoginOrFailAsync(colleague, "analyst@example.com");
    }

    [Fact]
    public void IPv6_clients_are_counted_by_their_64_bit_network()
    {
        Assert.Equal(LoginThrottle.ClientKey(System.Net.IPAddress.Parse("2001:db8:1:2:aaaa::1")),
            LoginThrottle.ClientKey(System.Net.IPAddress.Parse("2001:db8:1:2:bbbb::9")));
        Assert.NotEqual(LoginThrottle.ClientKey(System.Net.IPAddress.Parse("2001:db8:1:2::1")),
            LoginThrottle.ClientKey(System.Net.IPAddress.Parse("2001:db8:1:3::1")));
        Assert.Equal("192.0.2.1", LoginThrottle.ClientKey(System.Net.IPAddress.Parse("::ffff:192.0.2.1")));
    }

    [Fact]
    public async Task An_unknown_email_gets_the_same_message_as_a_wrong_password()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("login_unknown"));
        using var client = AccountHttp.Client(app);

        var response = await AccountHttp.LoginAsync(client, "nobody@example.com", AccountHttp.DemoPassword);

        Assert.Equal(LoginOutcome.IncorrectMessage, AccountHttp.ErrorOf(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_disabled_user_cannot_log_in_and_an_open_session_ends_at_the_next_check()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("login_disabled"),
            settings: new() { ["Accounts:SessionValidationInterval"] = "00:00:01" });
        using var session = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(session, "editor@example.com");
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/account/change-password")).StatusCode);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            AccountHttp.SignInCircuit(scope.ServiceProvider, await AccountHttp.PrincipalOfAsync(scope.ServiceProvider, "admin@example.com"));
            var editor = await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("editor@example.com");
            var result = await scope.ServiceProvider.GetRequiredService<UserAdminService>().SetDisabledAsync(editor!.Id, disabled: true);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors));
        }
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var afterCheck = await session.GetAsync("/account/change-password");
        Assert.Equal(HttpStatusCode.Found, afterCheck.StatusCode);
        Assert.Equal("/account/login", afterCheck.Headers.Location!.AbsolutePath);

        using var fresh = AccountHttp.Client(app);
        var right = await AccountHttp.LoginAsync(fresh, "editor@example.com", AccountHttp.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(LoginOutcome.DisabledMessage, AccountHttp.ErrorOf(await right.Content.ReadAsStringAsync()));
        // Only someone with the password learns that the account is disabled.
        var wrong = await AccountHttp.LoginAsync(fresh, "editor@example.com", "Wrong-Password-1");
        Assert.Equal(LoginOutcome.IncorrectMessage, AccountHttp.ErrorOf(await wrong.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_session_of_an_account_disabled_directly_in_the_database_ends_too()
    {
        // No security stamp change here: the cookie check itself rejects disabled accounts.
        var pg = await TestPostgres.GetAsync();
        var connectionString = await pg.CreateDatabaseAsync("login_disabled_db");
        await using var app = new AppFactory(connectionString, settings: new() { ["Accounts:SessionValidationInterval"] = "00:00:01" });
        using var session = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(session, "analyst@example.com");

        await using (var db = TestPostgres.ContextFactory(connectionString).CreateDbContext())
        {
            var analyst = db.Users.Single(u => u.Email == "analyst@example.com");
            analyst.IsDisabled = true;
            await db.SaveChangesAsync();
        }
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        Assert.Equal(HttpStatusCode.Found, (await session.GetAsync("/account/change-password")).StatusCode);
    }

    [Fact]
    public async Task After_login_only_local_return_urls_are_followed()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("login_return"));
        foreach (var (returnUrl, expected) in new[]
                 {
                     ("/companies/deepseek?tab=rounds", "/companies/deepseek?tab=rounds"),
                     ("https://evil.example/phish", "/"),
                     ("//evil.example/phish", "/"),
                     ("/\\evil.example", "/"),
                 })
        {
            using var client = AccountHttp.Client(app);
            var response = await AccountHttp.LoginAsync(client, "analyst@example.com", AccountHttp.DemoPassword, returnUrl);

            Assert.Equal(HttpStatusCode.Found, response.StatusCode);
            var location = new Uri(client.BaseAddress!, response.Headers.Location!);
            Assert.Equal(client.BaseAddress!.Authority, location.Authority);
            Assert.Equal(expected, location.PathAndQuery);
        }
    }

    [Fact]
    public async Task After_logout_a_copy_of_the_old_cookie_is_refused_at_once()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("login_logout_revoke"));
        using var client = AccountHttp.Client(app);
        var login = await AccountHttp.LoginAsync(client, "analyst@example.com", AccountHttp.DemoPassword);
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("AiLandscape.Auth=")).Split(';')[0];

        // Someone who copied the cookie (a shared computer, a stolen laptop) gets in while the session lasts...
        using var copy = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/account/me")).StatusCode);

        var page = await client.GetStringAsync("/companies");
        var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AccountHttp.AntiforgeryToken(page),
            ["returnUrl"] = "/",
        }));
        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);

        // ...and not a moment after the owner logs out.
        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task A_session_ends_after_its_absolute_lifetime_however_active()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("login_absolute"),
            settings: new() { ["Accounts:AbsoluteSessionLifetime"] = "00:00:08" });
        using var client = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(client, "analyst@example.com");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode); // active: the cookie slid

        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task A_password_change_ends_the_accounts_API_tokens()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("login_password_tokens"),
            settings: new() { ["Access:RequireLoginToRead"] = "true" });
        string token;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            AccountHttp.SignInCircuit(scope.ServiceProvider, await AccountHttp.PrincipalOfAsync(scope.ServiceProvider, "analyst@example.com"));
            var created = await scope.ServiceProvider.GetRequiredService<AiLandscape.Web.Features.ApiTokens.ApiTokenService>().CreateAsync("notebook", 30);
            Assert.True(created.Succeeded, created.Error);
            token = created.Created!.Token;
        }
        using var script = app.CreateClient();
        script.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/v1/companies")).StatusCode);

        using var browser = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(browser, "analyst@example.com");
        var form = await browser.GetStringAsync("/account/change-password");
        var changed = await browser.PostAsync("/account/change-password", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "change-password",
            ["__RequestVerificationToken"] = AccountHttp.AntiforgeryToken(form),
            ["Input.CurrentPassword"] = AccountHttp.DemoPassword,
            ["Input.NewPassword"] = "Analyst-Password-2",
            ["Input.ConfirmPassword"] = "Analyst-Password-2",
        }));
        Assert.Contains("Your password has been changed.", await changed.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/v1/companies")).StatusCode);
    }

    [Fact]
    public async Task Logout_is_a_post_with_an_antiforgery_token()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("login_logout"));
        using var client = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(client, "analyst@example.com");

        Assert.NotEqual(HttpStatusCode.Found, (await client.GetAsync("/account/logout")).StatusCode);
        var forged = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["returnUrl"] = "/" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/change-password")).StatusCode);

        var page = await client.GetStringAsync("/companies");
        Assert.Contains("Demo Analyst", page);
        var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AccountHttp.AntiforgeryToken(page),
            ["returnUrl"] = "/companies",
        }));
        Assert.Equal(HttpStatusCode.Found, logout.StatusCode);
        Assert.Equal("/companies", logout.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/account/change-password")).StatusCode);
        Assert.Contains("Log in", await client.GetStringAsync("/companies"));
    }

    [Fact]
    public async Task A_user_changes_their_password_and_the_old_one_stops_working()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("login_change_password"));
        using var client = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(client, "editor@example.com");

        async Task<string> PostAsync(string current, string next, string confirm)
        {
            var form = await client.GetStringAsync("/account/change-password");
            var response = await client.PostAsync("/account/change-password", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "change-password",
                ["__RequestVerificationToken"] = AccountHttp.AntiforgeryToken(form),
                ["Input.CurrentPassword"] = current,
                ["Input.NewPassword"] = next,
                ["Input.ConfirmPassword"] = confirm,
            }));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsStringAsync();
        }

        Assert.Contains("Incorrect password.", await PostAsync("Wrong-Password-1", "New-Password-2024", "New-Password-2024"));
        Assert.Contains("The two new passwords do not match.", await PostAsync(AccountHttp.DemoPassword, "New-Password-2024", "New-Password-2025"));
        Assert.Contains("The new password must be at least 12 characters long.", await PostAsync(AccountHttp.DemoPassword, "Short-pass1", "Short-pass1"));
        // No composition rules, but a common password (here with digits and a symbol added) is refused.
        Assert.Contains("This password is on a list of common or breached passwords.", await PostAsync(AccountHttp.DemoPassword, "Password2024!", "Password2024!"));
        Assert.Contains("Your password has been changed.", await PostAsync(AccountHttp.DemoPassword, "New-Password-2024", "New-Password-2024"));

        // Still signed in here (the session was renewed with the new stamp); the old password is gone.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/account/change-password")).StatusCode);
        using var other = AccountHttp.Client(app);
        var old = await AccountHttp.LoginAsync(other, "editor@example.com", AccountHttp.DemoPassword);
        Assert.Equal(LoginOutcome.IncorrectMessage, AccountHttp.ErrorOf(await old.Content.ReadAsStringAsync()));
        await AccountHttp.LoginOrFailAsync(other, "editor@example.com", "New-Password-2024");
    }

    [Fact]
    public async Task A_login_cookie_from_one_instance_works_on_another()
    {
        // Two app instances over one database share the Data Protection keys, as behind a load balancer.
        var pg = await TestPostgres.GetAsync();
        var connectionString = await pg.CreateDatabaseAsync("login_two_instances");
        await using var first = new AppFactory(connectionString);
        await using var second = new AppFactory(connectionString);
        using var firstClient = AccountHttp.Client(first);
        using var secondClient = second.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        _ = second.Services; // start it now, so that both read the key ring the first one created

        var login = await AccountHttp.LoginAsync(firstClient, "admin@example.com", AccountHttp.DemoPassword);
        Assert.Equal(HttpStatusCode.Found, login.StatusCode);
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("AiLandscape.Auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/admin/users");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        Assert.Equal(HttpStatusCode.OK, (await secondClient.SendAsync(request)).StatusCode);
    }
}

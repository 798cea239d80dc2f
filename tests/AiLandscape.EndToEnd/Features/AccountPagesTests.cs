using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

/// <summary>Logging in and out, the login errors, and the admin's user management, in Chromium.</summary>
[RunsLong(105)]
public class AccountPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string DemoPassword = BrowserFixture.DemoPassword;

    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    [Fact]
    public async Task An_editor_logs_in_with_the_form_sees_their_name_and_logs_out()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/companies");
        await Assertions.Expect(page.Locator("[data-testid=company-grid] tbody tr")).ToHaveCountAsync(7, new() { Timeout = 20_000 });

        await page.Locator("[data-testid=login-link]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?returnUrl=%2Fcompanies$"));
        await page.GetByLabel("Email").FillAsync("editor@example.com");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies$"));
        await Assertions.Expect(page.Locator("[data-testid=user-name]")).ToHaveTextAsync("Demo Editor");
        await Assertions.Expect(page.Locator("[data-testid=company-grid] tbody tr")).ToHaveCountAsync(7);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToHaveCountAsync(0);

        await page.Locator("[data-testid=logout]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=login-link]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=user-name]")).ToHaveCountAsync(0);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies$"));
    }

    [Fact]
    public async Task A_wrong_password_shows_a_clear_error_and_keeps_the_email()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync("analyst@example.com");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Not-The-Password-1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=login-error]")).ToHaveTextAsync(AiLandscape.Web.Features.Accounts.LoginOutcome.IncorrectMessage);
        await Assertions.Expect(page.GetByLabel("Email")).ToHaveValueAsync("analyst@example.com");
        await Assertions.Expect(page.GetByLabel("Password", new() { Exact = true })).ToHaveValueAsync("");
        await page.ScreenshotAsync(new() { Path = Shot("accounts-login-error.png") });
    }

    [Fact]
    public async Task The_admin_creates_a_user_who_can_log_in_then_disables_them()
    {
        var page = await LoggedInPageAsync("admin@example.com");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Users" })).ToBeVisibleAsync();
        // Open the page and wait for its circuit: under load a click on the prerendered link could be lost.
        await BrowserFixture.GotoInteractiveAsync(page, "/admin/users");
        var rows = page.Locator("[data-testid=user-table] tbody tr");
        // The first load starts the circuit, which can take a few seconds on a busy machine.
        await Assertions.Expect(rows.Filter(new() { HasText = "editor@example.com" })).ToHaveCountAsync(1, new() { Timeout = 20_000 });

        await page.Locator("[data-testid=new-user]").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Email").FillAsync("new.editor@example.org");
        await dialog.GetByLabel("Display name").FillAsync("New Editor");
        await dialog.GetByLabel("Initial password").FillAsync("short");
        await dialog.GetByText("Editor", new() { Exact = true }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("The password must be at least 12 characters long.");
        await dialog.GetByLabel("Initial password").FillAsync("Initial-Password-1");
        await page.ScreenshotAsync(new() { Path = Shot("accounts-new-user.png") });
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();

        await Assertions.Expect(page.GetByText("Created new.editor@example.org.")).ToBeVisibleAsync();
        var row = rows.Filter(new() { HasText = "new.editor@example.org" });
        await Assertions.Expect(row).ToContainTextAsync("New Editor");
        // The admin knows the initial password: the user must choose their own at first sign-in.
        await Assertions.Expect(row.Locator("[data-testid=user-status]")).ToHaveTextAsync("Must change password");
        await Assertions.Expect(row.GetByLabel("Editor")).ToBeCheckedAsync();
        await Assertions.Expect(row.GetByLabel("Analyst")).ToBeCheckedAsync(); // the form's default role
        await Assertions.Expect(row.GetByLabel("Admin")).Not.ToBeCheckedAsync();

        var newUser = await LoggedInPageAsync("new.editor@example.org", "Initial-Password-1");
        await Assertions.Expect(newUser.Locator("[data-testid=user-name]")).ToHaveTextAsync("New Editor");
        await Assertions.Expect(newUser.Locator("[data-testid=password-change-required]")).ToBeVisibleAsync();

        await row.Locator("[data-testid=disable-user]").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Disable" }).ClickAsync();
        await Assertions.Expect(row.Locator("[data-testid=user-status]")).ToHaveTextAsync("Disabled");
        await Assertions.Expect(row.Locator("[data-testid=enable-user]")).ToBeVisibleAsync();

        var again = await fixture.NewPageAsync();
        await LogInAsync(again, "new.editor@example.org", "Initial-Password-1");
        await Assertions.Expect(again.Locator("[data-testid=login-error]")).ToHaveTextAsync("This account is disabled. Ask an administrator to enable it.");
    }

    [Fact]
    public async Task The_login_page_is_accessible_and_reads_well_wide_and_narrow()
    {
        foreach (var (width, height, name) in new[] { (1366, 900, "accounts-login.png"), (390, 844, "accounts-login-narrow.png") })
        {
            var page = await fixture.NewPageAsync(width, height);
            await page.GotoAsync("/account/login");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in" })).ToBeVisibleAsync();
            await BrowserFixture.AssertNoSidewaysScrollAsync(page, "the login page");
            await page.ScreenshotAsync(new() { Path = Shot(name), FullPage = true });
            await BrowserFixture.AssertAccessibleAsync(page);
        }
    }

    [Fact]
    public async Task The_users_page_is_accessible_and_reads_well_wide_and_narrow()
    {
        foreach (var (width, height, name) in new[] { (1366, 900, "accounts-users.png"), (390, 844, "accounts-users-narrow.png") })
        {
            var page = await LoggedInPageAsync("admin@example.com", width: width, height: height);
            await page.GotoAsync("/admin/users");
            await Assertions.Expect(page.Locator("[data-testid=user-table] tbody tr").Filter(new() { HasText = "analyst@example.com" })).ToHaveCountAsync(1, new() { Timeout = 20_000 });
            await BrowserFixture.AssertNoSidewaysScrollAsync(page, "the users page");
            await page.ScreenshotAsync(new() { Path = Shot(name), FullPage = true });
            await BrowserFixture.AssertAccessibleAsync(page);
        }
    }

    [Fact]
    public async Task The_change_password_page_works_for_a_signed_in_user()
    {
        var page = await LoggedInPageAsync("analyst@example.com");
        await page.GetByRole(AriaRole.Link, new() { Name = "Change password" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Change password" })).ToBeVisibleAsync();
        await page.GetByLabel("Current password").FillAsync(DemoPassword);
        await page.GetByLabel("New password", new() { Exact = true }).FillAsync("Analyst-Password-2");
        await page.GetByLabel("Repeat the new password").FillAsync("Analyst-Password-2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change password" }).ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=password-changed]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=user-name]")).ToHaveTextAsync("Demo Analyst");
        await page.ScreenshotAsync(new() { Path = Shot("accounts-change-password.png"), FullPage = true });
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task With_login_required_a_visitor_logs_in_and_lands_on_the_page_they_asked_for()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("e2e_closed"),
            settings: new() { ["Access:RequireLoginToRead"] = "true" }, realSocket: true);
        var address = app.StartAndGetAddress();
        var context = await fixture.Browser.NewContextAsync(new() { BaseURL = address, Locale = "en-GB" });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") { errors.Add(m.Text); } };
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync("/companies?city=Hangzhou");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?returnUrl=%2Fcompanies%3Fcity%3DHangzhou$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in" })).ToBeVisibleAsync();
        await page.GetByLabel("Email").FillAsync("analyst@example.com");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DemoPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies\\?city=Hangzhou$"));
        var rows = page.Locator("[data-testid=company-grid] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("[data-testid=user-name]")).ToHaveTextAsync("Demo Analyst");
        await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        Assert.Empty(errors);
        await context.CloseAsync();
    }

    private Task<IPage> LoggedInPageAsync(string email, string password = DemoPassword, int width = 1366, int height = 900) =>
        fixture.LoggedInPageAsync(email, password, width, height);

    private static Task LogInAsync(IPage page, string email, string password) => BrowserFixture.LogInAsync(page, email, password);
}

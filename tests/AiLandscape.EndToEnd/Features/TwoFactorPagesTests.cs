using System.Text.RegularExpressions;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace AiLandscape.EndToEnd.Features;

/// <summary>
/// Two-factor sign-in in Chromium: a new admin is sent to the setup page, sets up an authenticator from the key on
/// the page, gets recovery codes, and from then on signs in with a code. On an app of its own, since it changes an
/// admin's sign-in.
/// </summary>
public class TwoFactorPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Email = "second.admin@example.org";
    private const string Password = "Second-Admin-Password-1";

    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    [Fact]
    public async Task A_new_admin_sets_up_two_factor_on_the_setup_page_then_signs_in_with_a_code()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("e2e_two_factor"), realSocket: true);
        var address = app.StartAndGetAddress();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var admin = new AppUser { UserName = Email, Email = Email, EmailConfirmed = true, DisplayName = "Second Admin" };
            Assert.True((await users.CreateAsync(admin, Password)).Succeeded);
            Assert.True((await users.AddToRoleAsync(admin, Roles.Admin)).Succeeded);
        }

        // The setup page, narrow and wide: signed in, the admin is sent there from any page.
        IPage page = null!;
        foreach (var (width, height, name) in new[] { (390, 844, "accounts-two-factor-setup-narrow.png"), (1366, 900, "accounts-two-factor-setup.png") })
        {
            page = await PageAsync(address, width, height);
            await BrowserFixture.LogInAsync(page, Email, Password);
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/two-factor\\?returnUrl=%2F$"));
            await page.GotoAsync("/admin/users");
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/two-factor\\?returnUrl=%2Fadmin%2Fusers$"));
            await Assertions.Expect(page.Locator("[data-testid=two-factor-required]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=two-factor-qr]")).ToBeVisibleAsync();
            await BrowserFixture.AssertNoSidewaysScrollAsync(page, "the two-factor setup page");
            await page.ScreenshotAsync(new() { Path = Shot(name), FullPage = true });
            await BrowserFixture.AssertAccessibleAsync(page);
        }

        var key = (await page.Locator("[data-testid=two-factor-key]").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        await page.GetByLabel("Code from the app").FillAsync(Totp.WrongCode(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=two-factor-error]")).ToHaveTextAsync(LoginOutcome.WrongCodeMessage);
        // The key stays the same after a wrong code: the app the user set up still fits.
        Assert.Equal(key, (await page.Locator("[data-testid=two-factor-key]").InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant());

        await page.GetByLabel("Code from the app").FillAsync(await Totp.FreshCodeAsync(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=recovery-code]")).ToHaveCountAsync(TwoFactorService.RecoveryCodeCount);
        await page.ScreenshotAsync(new() { Path = Shot("accounts-two-factor-recovery-codes.png"), FullPage = true });
        await page.Locator("[data-testid=two-factor-continue]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/admin/users$"));
        await Assertions.Expect(page.Locator("[data-testid=user-table] tbody tr").Filter(new() { HasText = Email })).ToHaveCountAsync(1, new() { Timeout = 20_000 });

        // The next sign-in asks for the code: a wrong one is refused with a clear message, the right one lets in.
        foreach (var (width, height, name) in new[] { (390, 844, "accounts-login-code-narrow.png"), (1366, 900, "accounts-login-code.png") })
        {
            var next = await PageAsync(address, width, height);
            await next.GotoAsync("/account/login?returnUrl=%2Fcompanies");
            await next.GetByLabel("Email").FillAsync(Email);
            await next.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
            await next.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
            await Assertions.Expect(next.GetByRole(AriaRole.Heading, new() { Name = "Enter your sign-in code" })).ToBeVisibleAsync();
            await next.GetByLabel("Code", new() { Exact = true }).FillAsync(Totp.WrongCode(key));
            await next.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await Assertions.Expect(next.Locator("[data-testid=login-error]")).ToHaveTextAsync(LoginOutcome.WrongCodeMessage);
            await BrowserFixture.AssertNoSidewaysScrollAsync(next, "the sign-in code page");
            await next.ScreenshotAsync(new() { Path = Shot(name), FullPage = true });
            await BrowserFixture.AssertAccessibleAsync(next);

            await next.GetByLabel("Code", new() { Exact = true }).FillAsync(await Totp.FreshCodeAsync(key));
            await next.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
            await Assertions.Expect(next).ToHaveURLAsync(new Regex("/companies$"));
            await Assertions.Expect(next.Locator("[data-testid=user-name]")).ToHaveTextAsync("Second Admin");
        }
    }

    private async Task<IPage> PageAsync(string address, int width, int height)
    {
        var context = await fixture.Browser.NewContextAsync(new()
        {
            BaseURL = address, ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        return page;
    }
}

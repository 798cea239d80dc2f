using System.Security.Cryptography;
using AiLandscape.Faults;

namespace AiLandscape.EndToEnd.Hosting;

/// <summary>
/// Two app instances (Production settings) on one PostgreSQL behind nginx, as in the compose "scale" profile. A
/// signed-in user on a page with its view in the URL; each instance is killed in turn (and started again). Whichever
/// held the user's circuit, the browser ends on the same page and view, still signed in, and interactive.
/// </summary>
[RunsLong(110)]
public sealed class InstanceFailoverTests
{
    [Fact]
    public async Task When_the_instance_holding_a_users_circuit_dies_the_browser_lands_on_the_same_page_still_signed_in()
    {
        var chromium = Environment.GetEnvironmentVariable(BrowserFixture.ChromiumVariable) is { Length: > 0 } c ? c : "/usr/bin/chromium";
        Assert.True(File.Exists(chromium), $"Chromium not found at {chromium}: apt-get install -y chromium, or set {BrowserFixture.ChromiumVariable}.");
        var logs = Directory.CreateTempSubdirectory("ailandscape-failover-").FullName;
        await using var cluster = await Cluster.CreateAsync();
        await using var first = new AppInstance(cluster.ConnectionString(), logs);
        await using var second = new AppInstance(cluster.ConnectionString(), logs);
        var password = "Failover-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var (code, output) = await first.RunCommandAsync("create-admin", "--email", "failover@example.com", "--password", password, "--name", "Failover Editor");
        Assert.True(code == 0, output);
        await first.StartAsync(TimeSpan.FromMinutes(3));
        await second.StartAsync(TimeSpan.FromMinutes(3));
        await using var nginx = await Nginx.StartAsync([first.Port, second.Port], requestsPerSecond: 1000);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-gpu"],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = nginx.BaseAddress, Locale = "en-GB" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        var console = new List<string>();
        page.Console += (_, m) => console.Add($"{m.Type}: {m.Text}");
        page.Response += (_, r) => console.Add($"{r.Status} {r.Request.Method} {r.Url}");

        await BrowserFixture.LogInAsync(page, "failover@example.com", password);
        try
        {
            await Assertions.Expect(page.Locator("[data-testid=logout]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        }
        catch (PlaywrightException)
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "failover-login.png") });
            throw new InvalidOperationException($"not signed in after the login form: {page.Url}\n{string.Join("\n", console)}");
        }
        // An admin must set up two-factor sign-in before anything else (the command does not set it up).
        await BrowserFixture.SetUpTwoFactorAsync(page);
        const string view = "/companies?q=moon&sort=name";
        await page.GotoAsync(view);
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 30_000 });
        // Set in this document only: gone when the browser reloads the page on another instance.
        await page.EvaluateAsync("() => window.__beforeFailover = true");

        foreach (var victim in new[] { first, second })
        {
            victim.Kill();
            await Task.Delay(2000); // the browser notices the closed connection and tries to reconnect
            // The circuit on the dead instance cannot be resumed elsewhere: Blazor's reconnection is refused by the
            // live instance and the page reloads there (same URL, same cookie), or nothing happened to this user.
            await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 60_000 });
            await Assertions.Expect(page.Locator("[data-testid=logout]")).ToHaveCountAsync(1, new() { Timeout = 60_000 });
            await victim.StartAsync(TimeSpan.FromMinutes(3));
            await Task.Delay(3000); // nginx takes the restarted instance back after fail_timeout
        }

        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = 60_000 });
        Assert.True(await page.EvaluateAsync<bool>("() => window.__beforeFailover !== true"),
            "the page never moved to the other instance: the kills did not reach the user's circuit");
        Assert.EndsWith(view, page.Url);
        await Assertions.Expect(page.Locator("input[data-testid=company-search]")).ToHaveValueAsync("moon");
        await Assertions.Expect(page.GetByText("Moonshot AI").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "failover-after.png") });
        Assert.Empty(errors);
        Directory.Delete(logs, recursive: true);
    }
}

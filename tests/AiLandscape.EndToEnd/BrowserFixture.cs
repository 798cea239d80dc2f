using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using System.Text.RegularExpressions;
using System.Threading.Channels;

namespace AiLandscape.EndToEnd;

/// <summary>
/// The real app on a loopback socket over its own seeded database, and a real headless Chromium.
/// Shared by the tests of one class; each test opens its own page.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumVariable = "AILANDSCAPE_CHROMIUM";

    private IPlaywright? _playwright;
    private AppFactory? _app;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseAddress { get; private set; } = "";
    public string ConnectionString { get; private set; } = "";

    /// <summary>Every SQL command the app sends, for tests that check what a page costs.</summary>
    public SqlCommandCounter SqlCommands { get; } = new();

    /// <summary>Screenshots land here so a developer can look at them after a run.</summary>
    public static string ScreenshotDirectory { get; } =
        Path.Combine(RepoPaths.Root, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable(ChromiumVariable) is { Length: > 0 } configured
            ? configured
            : "/usr/bin/chromium";
        if (!File.Exists(chromium))
        {
            throw new InvalidOperationException(
                $"Chromium not found at {chromium}. Install it with 'apt-get install -y chromium fonts-noto-cjk' " +
                $"(Debian/Ubuntu), or set {ChromiumVariable} to a Chromium or Chrome executable. Browser tests never skip.");
        }

        var pg = await TestPostgres.GetAsync();
        ConnectionString = await pg.CreateDatabaseAsync("e2e");
        _app = new AppFactory(ConnectionString, realSocket: true, sqlCommands: SqlCommands);
        BaseAddress = _app.StartAndGetAddress();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
        // Two cores shared by parallel test assemblies: the default 5 s is too tight for a first Blazor render.
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    public async Task<IPage> NewPageAsync(int width = 1366, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    /// <summary>Opens a page and waits until its Blazor circuit is interactive, so clicks are not lost on prerendered HTML.</summary>
    public static async Task GotoInteractiveAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true");
    }

    /// <summary>
    /// Makes the page's circuit behave as over a slow network: every message from the browser reaches the server
    /// <paramref name="delay"/> late, in order. Call before the first navigation.
    /// </summary>
    public static Task SlowCircuitAsync(IPage page, TimeSpan delay) =>
        page.RouteWebSocketAsync(new Regex("/_blazor"), socket =>
        {
            var server = socket.ConnectToServer();
            var queue = Channel.CreateUnbounded<(DateTime Due, byte[]? Binary, string? Text)>();
            socket.OnMessage(frame => queue.Writer.TryWrite((DateTime.UtcNow + delay, frame.Binary, frame.Text)));
            _ = Task.Run(async () =>
            {
                await foreach (var (due, binary, text) in queue.Reader.ReadAllAsync())
                {
                    var wait = due - DateTime.UtcNow;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait);
                    }
                    if (binary is not null)
                    {
                        server.Send(binary);
                    }
                    else if (text is not null)
                    {
                        server.Send(text);
                    }
                }
            });
        });

    public const string DemoPassword = "Demo-Password-1";

    /// <summary>Fails when the page is wider than its window (sideways scrolling on a phone), naming the page.</summary>
    public static async Task AssertNoSidewaysScrollAsync(IPage page, string what)
    {
        // Measure the page as drawn with its style sheets and fonts: right after a form post the text can be in the
        // page before its CSS is, and unstyled it is wider than the window.
        await page.WaitForLoadStateAsync(LoadState.Load);
        await page.EvaluateAsync("() => document.fonts.ready.then(() => true)");
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        var width = page.ViewportSize?.Width;
        if (overflow)
        {
            // Name the innermost elements that stick out, so the failure says what to fix.
            var culprits = await page.EvaluateAsync<string[]>("""
                () => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
                              && ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
                    .slice(0, 5)
                    .map(e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '')
                              + ' "' + (e.textContent || '').trim().slice(0, 40) + '" right=' + Math.round(e.getBoundingClientRect().right))
                """);
            Assert.Fail($"{what} scrolls sideways at {width}px; sticking out: {string.Join(" | ", culprits)}");
        }
    }

    /// <summary>A new page signed in as a demo user through the login form.</summary>
    public async Task<IPage> LoggedInPageAsync(string email, string password = DemoPassword, int width = 1366, int height = 900)
    {
        var page = await NewPageAsync(width, height);
        await LogInAsync(page, email, password);
        await Assertions.Expect(page.Locator("[data-testid=logout]")).ToHaveCountAsync(1);
        return page;
    }

    public static async Task LogInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        if (string.Equals(email, Totp.DemoAdminEmail, StringComparison.OrdinalIgnoreCase) && password == DemoPassword)
        {
            // The demo admin has two-factor sign-in on (admins must): enter the code an authenticator app would show.
            await page.GetByLabel("Code", new() { Exact = true }).FillAsync(Totp.Code(Totp.DemoAdminKey));
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        }
    }

    /// <summary>
    /// On the two-factor setup page (where an admin without it is sent): adds the key shown to an "authenticator",
    /// turns two-factor sign-in on with its code and continues; returns the key.
    /// </summary>
    public static async Task<string> SetUpTwoFactorAsync(IPage page)
    {
        var shown = page.Locator("[data-testid=two-factor-key]");
        await Assertions.Expect(shown).ToBeVisibleAsync();
        var key = (await shown.InnerTextAsync()).Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        await page.GetByLabel("Code from the app").FillAsync(await Totp.FreshCodeAsync(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }).ClickAsync();
        await page.Locator("[data-testid=two-factor-continue]").ClickAsync();
        return key;
    }

    /// <summary>Runs axe-core in the page and fails on any serious or critical violation, naming them.</summary>
    public static async Task AssertAccessibleAsync(IPage page)
    {
        // A popover still fading in has part of its opacity: axe would measure its text's contrast mid-transition (the
        // search box's status line on a phone failed so once under load). Finite animations end first.
        await page.WaitForFunctionAsync(
            "() => document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().iterations === Infinity)");
        // Legacy mode runs axe.run in the page itself. The default mode aggregates each run's frames in a new blank
        // page, which cost 1.5-3.5 s per call on this 2-core machine (0.7 s instead of 3.2 s on /people/kai-fu-lee,
        // 2.5 s instead of 6 s on /rounds, same violations); the app's pages have no cross-origin frames to test.
#pragma warning disable CS0618 // Legacy mode is marked for removal in a future major version; the package is pinned.
        var results = await page.RunAxeLegacy();
#pragma warning restore CS0618
        var bad = results.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Take(3).Select(n => n.Target?.ToString()))}")
            .ToList();
        Assert.True(bad.Count == 0, "Accessibility violations:\n" + string.Join("\n", bad));
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

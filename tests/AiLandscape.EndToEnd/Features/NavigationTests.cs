using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

/// <summary>The menu reaches every public page, and chips that look like links are links.</summary>
public class NavigationTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    private static ILocator Menu(IPage page) => page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" });

    [Fact]
    public async Task An_anonymous_reader_reaches_compare_and_disputes_from_the_menu()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        await page.ScreenshotAsync(new() { Path = Shot("menu-1366.png") });

        await Menu(page).GetByRole(AriaRole.Link, new() { Name = "Compare" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/compare$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();

        await Menu(page).GetByRole(AriaRole.Link, new() { Name = "Disputes" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/disputes$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Disputed figures");
        await Assertions.Expect(page.Locator("[data-testid=dispute]").First).ToBeVisibleAsync();
    }

    /// <summary>Every public page is in the menu (profiles are reached from their lists).</summary>
    [Fact]
    public async Task The_menu_links_every_public_page_and_reaches_models_and_people()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        var hrefs = await Menu(page).GetByRole(AriaRole.Link).EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))");
        Assert.Equal(["/", "/companies", "/investors", "/rounds", "/models", "/people", "/compare", "/export", "/disputes", "/api/docs/"], hrefs);

        await Menu(page).GetByRole(AriaRole.Link, new() { Name = "Models" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/models$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Models");
        await Menu(page).GetByRole(AriaRole.Link, new() { Name = "People" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/people$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("People");
        await Menu(page).GetByRole(AriaRole.Link, new() { Name = "API reference" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/api/docs/$"));
        await Assertions.Expect(page.GetByText("The company directory and profiles.").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    /// <summary>Opens the menu drawer on a phone with one tap on the menu button, once the layout knows the width.</summary>
    private static async Task OpenPhoneMenuAsync(IPage page)
    {
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-layout-ready", "true");
        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.querySelector('.mud-drawer').getBoundingClientRect().left >= 0");
    }

    [Fact]
    public async Task On_a_phone_the_menu_opens_and_reaches_compare()
    {
        var page = await fixture.NewPageAsync(390, 844);
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        var compare = Menu(page).GetByRole(AriaRole.Link, new() { Name = "Compare" });
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-layout-ready", "true");
        // On a phone the drawer starts folded away, off-screen.
        await Assertions.Expect(compare).Not.ToBeInViewportAsync();
        // One tap opens it (it once took up to three: issue 19).
        await OpenPhoneMenuAsync(page);
        await Assertions.Expect(page.Locator(".mud-drawer")).ToHaveClassAsync(new Regex("mud-drawer--open"));
        await Assertions.Expect(compare).ToBeInViewportAsync();
        await Assertions.Expect(Menu(page).GetByRole(AriaRole.Link, new() { Name = "Disputes" })).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = Shot("menu-390.png") });
        await compare.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/compare$"));
    }

    [Fact]
    public async Task The_six_tigers_chip_on_a_profile_opens_the_comparison_of_the_six()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/moonshot-ai");
        var chip = page.GetByRole(AriaRole.Link, new() { Name = "Compare the Six Tigers: 6 companies" });
        await Assertions.Expect(chip).ToHaveTextAsync("Six Tigers");
        await chip.ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/compare\\?c="));
        var slugs = Uri.UnescapeDataString(new Uri(page.Url).Query).Split('=', 2)[1].Split('&')[0].Split(',');
        Assert.Equal(["01-ai", "baichuan", "minimax", "moonshot-ai", "stepfun", "zhipu-ai"], slugs.Order().ToArray());
        var rows = page.Locator("[data-testid=compare-table] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(6);
        foreach (var name in new[] { "01.AI", "Baichuan", "MiniMax", "Moonshot AI", "StepFun", "Zhipu" })
        {
            await Assertions.Expect(page.Locator("[data-testid=compare-table]")).ToContainTextAsync(name);
        }
        await Assertions.Expect(page.Locator("[data-testid=compare-table]")).Not.ToContainTextAsync("DeepSeek");
    }

    [Theory]
    [InlineData(1366, 900)]
    [InlineData(390, 844)]
    public async Task The_app_bar_names_its_icon_buttons_and_shows_who_is_signed_in(int width, int height)
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com", width: width, height: height);
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        var bar = page.Locator("header.mud-appbar");
        await Assertions.Expect(bar.GetByRole(AriaRole.Link, new() { Name = "Change password" })).ToBeVisibleAsync();
        await Assertions.Expect(bar.GetByRole(AriaRole.Link, new() { Name = "API tokens" })).ToBeVisibleAsync();
        await Assertions.Expect(bar.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
        // Nothing in the bar is cut short (a phone once showed the signed-in name as "De…").
        var cut = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('header.mud-appbar *')]
                // 1px boxes are text only for screen readers (visually-hidden)
                .filter(e => e.checkVisibility() && e.clientWidth > 1 && getComputedStyle(e).overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 1)
                .map(e => '"' + e.textContent.trim() + '" ' + e.clientWidth + 'px of ' + e.scrollWidth + 'px')
            """);
        Assert.True(cut.Length == 0, $"cut short in the app bar at {width}px: {string.Join(" | ", cut)}");
        var key = await bar.GetByRole(AriaRole.Link, new() { Name = "Change password" }).BoundingBoxAsync();
        var title = await bar.Locator(".app-title").BoundingBoxAsync();
        if (width >= 600)
        {
            var name = bar.Locator("[data-testid=user-name]");
            await Assertions.Expect(name).ToBeVisibleAsync();
            await Assertions.Expect(name).ToHaveTextAsync("Demo Editor");
            // Nothing in the bar overlaps the name.
            var text = await name.BoundingBoxAsync();
            Assert.True(text!.X + text.Width <= key!.X + 1, $"the name ends at {text.X + text.Width}px, the key button starts at {key.X}px");
            Assert.True(title!.X + title.Width <= text.X + 1, $"the title ends at {title.X + title.Width}px, the name starts at {text.X}px");
        }
        else
        {
            // A phone shows the initials (the whole name on long press / hover) and the whole name in the menu.
            var initials = bar.Locator("[data-testid=user-initials]");
            await Assertions.Expect(initials).ToBeVisibleAsync();
            await Assertions.Expect(initials).ToHaveTextAsync("DE");
            await Assertions.Expect(bar.GetByTitle("Signed in as Demo Editor")).ToBeVisibleAsync();
            var box = await initials.BoundingBoxAsync();
            Assert.True(box!.X + box.Width <= key!.X + 1, $"the initials end at {box.X + box.Width}px, the key button starts at {key.X}px");
            Assert.True(title!.X + title.Width <= box.X + 1, $"the title ends at {title.X + title.Width}px, the initials start at {box.X}px");
            await OpenPhoneMenuAsync(page);
            var signedIn = Menu(page).GetByTestId("menu-user-name");
            await Assertions.Expect(signedIn).ToHaveTextAsync("Signed in as Demo Editor");
            await Assertions.Expect(signedIn).ToBeInViewportAsync();
        }
        await page.ScreenshotAsync(new() { Path = Shot($"app-bar-signed-in-{width}.png") });
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, $"/ signed in at {width}px");
    }
}

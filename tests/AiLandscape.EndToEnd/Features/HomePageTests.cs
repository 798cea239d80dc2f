namespace AiLandscape.EndToEnd.Features;

public class HomePageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_home_page_lists_the_companies_with_chinese_names_valuations_and_totals()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/");

        var rows = page.Locator("[data-testid=company-table] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(7);

        var moonshot = rows.Filter(new() { HasText = "Moonshot AI" });
        await Assertions.Expect(moonshot).ToContainTextAsync("月之暗面");
        await Assertions.Expect(moonshot).ToContainTextAsync("Beijing");
        await Assertions.Expect(moonshot.Locator("[data-testid=latest-valuation]")).ToContainTextAsync("~US$4.8B");
        await Assertions.Expect(moonshot.Locator("[data-testid=total-raised]")).ToContainTextAsync("≥ US$2.5B");

        var deepseek = rows.Filter(new() { HasText = "DeepSeek" });
        await Assertions.Expect(deepseek.Locator("[data-testid=latest-valuation]")).ToHaveTextAsync("No valuation reported");
        await Assertions.Expect(deepseek.Locator("[data-testid=total-raised]")).ToHaveTextAsync("No rounds recorded");

        var minimax = rows.Filter(new() { HasText = "MiniMax" });
        await Assertions.Expect(minimax).ToContainTextAsync("Listed: HKEX 0100");
        await Assertions.Expect(minimax.Locator("[data-testid=total-raised]")).ToContainTextAsync("2 rounds undisclosed");

        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "home.png"), FullPage = true });
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task The_page_is_interactive_the_menu_button_hides_the_navigation()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        await Assertions.Expect(page.Locator("[data-testid=company-table] tbody tr")).ToHaveCountAsync(7);
        var nav = page.GetByRole(AriaRole.Link, new() { Name = "Companies" });
        await Assertions.Expect(nav).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();

        await Assertions.Expect(nav).Not.ToBeInViewportAsync();
    }

    [Fact]
    public async Task The_page_reads_well_in_a_narrow_window()
    {
        var page = await fixture.NewPageAsync(width: 390, height: 844);
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        await Assertions.Expect(page.Locator("[data-testid=company-table] tbody tr")).ToHaveCountAsync(7);
        await Assertions.Expect(page.GetByText("阶跃星辰")).ToBeVisibleAsync();
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, page.Url);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "home-narrow.png"), FullPage = true });
    }

    [Fact]
    public async Task An_unknown_address_shows_the_not_found_page_with_a_way_back()
    {
        var page = await fixture.NewPageAsync();
        var response = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        // A click while the circuit is still starting can be lost: wait until the page is interactive.
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the companies" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=company-table] tbody tr")).ToHaveCountAsync(7);
    }
}

using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

public class CompareAndDashboardTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    [Fact]
    public async Task An_investor_compares_three_companies_changes_one_and_reloads_the_same_view()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/compare?c=moonshot-ai,minimax,zhipu-ai");

        var rows = page.Locator("[data-testid=compare-table] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-testid=compare-valuation-chart] svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=compare-bar-chart] svg")).ToBeVisibleAsync();
        await Assertions.Expect(rows.Filter(new() { HasText = "Zhipu AI" })).ToContainTextAsync("disputed");
        await Assertions.Expect(rows.Filter(new() { HasText = "Moonshot AI" }).Locator("[data-testid=compare-multiple]")).ToHaveTextAsync("≤ 1.9×");
        await page.ScreenshotAsync(new() { Path = Shot("compare.png"), FullPage = true });

        // Swap Zhipu for Baichuan: remove a chip, add through the picker.
        await page.Locator("[data-testid=compare-selection] .mud-chip").Filter(new() { HasText = "Zhipu AI" })
            .Locator("button").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"c=moonshot-ai,minimax$"));
        await page.GetByLabel("Add a company (English or Chinese name)").FillAsync("百川");
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = "Baichuan" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"c=moonshot-ai,minimax,baichuan$"));
        await Assertions.Expect(rows).ToHaveCountAsync(3);

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true");
        await Assertions.Expect(rows).ToHaveCountAsync(3);
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync("Baichuan");
        await Assertions.Expect(page.Locator("[data-testid=compare-csv]")).ToHaveAttributeAsync("href", "/compare.csv?c=moonshot-ai,minimax,baichuan");
    }

    [Fact]
    public async Task The_rate_toggle_follows_the_url()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/compare?c=baichuan,deepseek");
        var baichuan = page.Locator("[data-testid=compare-table] tbody tr").Filter(new() { HasText = "Baichuan" });
        await Assertions.Expect(baichuan.Locator("[data-testid=compare-valuation]")).ToContainTextAsync("≈ US$2.76B");
        await Assertions.Expect(page.Locator("[data-testid=compare-table] tbody tr").Filter(new() { HasText = "DeepSeek" }))
            .ToContainTextAsync("No valuation reported");

        await page.GetByText("USD at the latest stored rate").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("rates=latest"));
        await Assertions.Expect(baichuan.Locator("[data-testid=compare-valuation]")).ToContainTextAsync("≈ US$2.79B");
    }

    [Fact]
    public async Task Without_parameters_the_six_tigers_are_compared()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/compare");
        await Assertions.Expect(page.Locator("[data-testid=compare-table] tbody tr")).ToHaveCountAsync(6);
    }

    [Fact]
    public async Task The_dashboard_charts_render_with_readable_axes()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        var funding = page.Locator("[data-testid=funding-by-year] svg");
        await Assertions.Expect(funding).ToBeVisibleAsync();
        // The y axis is in money, not 0..20: one of its labels reads in billions.
        await Assertions.Expect(funding.Locator("text").Filter(new() { HasTextRegex = new Regex(@"^US\$\d+(\.\d+)?B$") }).First).ToBeVisibleAsync();
        await Assertions.Expect(funding.Locator("text").Filter(new() { HasText = "2024" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=models-by-year] svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=top-valuations]")).ToContainTextAsync("MiniMax");
        await Assertions.Expect(page.Locator("[data-testid=active-investors]")).ToContainTextAsync("Alibaba");
        await page.ScreenshotAsync(new() { Path = Shot("dashboard.png"), FullPage = true });

        await page.GetByText("By stage").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=funding-by-year]")).ToContainTextAsync("Series B");

        await page.Locator("[data-testid=top-valuations]").GetByRole(AriaRole.Link, new() { Name = "MiniMax" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/minimax$"));
    }

    [Theory]
    [InlineData("/compare?c=moonshot-ai,minimax,zhipu-ai")]
    [InlineData("/")]
    public async Task Compare_and_dashboard_have_no_serious_accessibility_violations(string path)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator("svg").First).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    [Theory]
    [InlineData("/compare?c=moonshot-ai,minimax,zhipu-ai", "compare-narrow.png")]
    [InlineData("/", "dashboard-narrow.png")]
    public async Task Compare_and_dashboard_fit_a_phone(string path, string screenshot)
    {
        var page = await fixture.NewPageAsync(width: 390, height: 844);
        await page.GotoAsync(path);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator("svg").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot(screenshot), FullPage = true });
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, page.Url);
    }
}

namespace AiLandscape.EndToEnd.Features;

public class CompanyPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    [Fact]
    public async Task An_analyst_finds_a_company_by_its_chinese_name_reads_its_rounds_and_follows_an_investor()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/companies");
        var rows = page.Locator("[data-testid=company-grid] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(7);

        await page.GetByLabel("Search by English or Chinese name, pinyin or alias").FillAsync("月之暗面");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("Moonshot AI");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q=%E6%9C%88"));
        await page.ScreenshotAsync(new() { Path = Shot("companies-search.png") });

        await rows.First.GetByRole(AriaRole.Link, new() { Name = "Moonshot AI" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/companies/moonshot-ai$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("月之暗面");

        var seriesC = page.Locator("[data-testid=round-table] tbody tr").Filter(new() { HasText = "Series C" }).First;
        await Assertions.Expect(seriesC).ToContainTextAsync("US$500M");
        await Assertions.Expect(seriesC).ToContainTextAsync("US$4.3B");
        await Assertions.Expect(seriesC).ToContainTextAsync("IDG Capital");
        await Assertions.Expect(page.Locator("[data-testid=funding-chart] svg")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot("company-profile.png"), FullPage = true });

        await seriesC.GetByRole(AriaRole.Link, new() { Name = "IDG Capital" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/investors/idg-capital$"));
        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/companies/moonshot-ai$"));
        await Assertions.Expect(page.Locator("[data-testid=round-table]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_facet_in_the_url_reproduces_the_filtered_view()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/companies?city=Hangzhou");
        var rows = page.Locator("[data-testid=company-grid] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(1);
        await Assertions.Expect(rows.First).ToContainTextAsync("DeepSeek");

        await page.ReloadAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(1);

        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true");
        await page.GetByRole(AriaRole.Link, new() { Name = "Clear search and filters" }).First.ClickAsync();
        await Assertions.Expect(rows).ToHaveCountAsync(7);
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/companies$"));
    }

    [Fact]
    public async Task A_search_without_results_says_so_and_offers_a_way_out()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/companies?q=qwertyuiop");
        await Assertions.Expect(page.Locator("[data-testid=no-results]")).ToContainTextAsync("No company matches “qwertyuiop”");
        await page.ScreenshotAsync(new() { Path = Shot("companies-empty.png") });
    }

    [Fact]
    public async Task Disputed_figures_show_a_marker_with_every_reported_value()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/companies/01-ai");
        var founded = page.Locator("[data-testid=founded]");
        await Assertions.Expect(founded).ToContainTextAsync("2023");
        await Assertions.Expect(founded.Locator("[data-testid=disputed]")).ToBeVisibleAsync();
        await Assertions.Expect(founded).ToContainTextAsync("2022"); // the article's value, read out for screen readers
        await Assertions.Expect(page.Locator("[data-testid=source-list]")).ToContainTextAsync("Chinas KI-Aufstieg");
    }

    [Fact]
    public async Task A_company_without_rounds_or_valuation_says_so()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/companies/deepseek");
        await Assertions.Expect(page.Locator("[data-testid=key-latest-valuation]")).ToContainTextAsync("No valuation reported");
        await Assertions.Expect(page.Locator("[data-testid=key-total-raised]")).ToContainTextAsync("No rounds recorded");
        await Assertions.Expect(page.Locator("[data-testid=no-rounds]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=timeline]")).ToContainTextAsync("DeepSeek-R1");
        await page.ScreenshotAsync(new() { Path = Shot("company-deepseek.png"), FullPage = true });
    }

    [Fact]
    public async Task An_unknown_company_gives_the_404_page_with_a_way_back()
    {
        var page = await fixture.NewPageAsync();
        var response = await page.GotoAsync("/companies/no-such-company");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("/companies")]
    [InlineData("/companies/minimax")]
    public async Task Company_pages_have_no_serious_accessibility_violations(string path)
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync(path);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    [Theory]
    [InlineData("/companies", "companies-narrow.png")]
    [InlineData("/companies/zhipu-ai", "company-profile-narrow.png")]
    public async Task Company_pages_fit_a_phone(string path, string screenshot)
    {
        var page = await fixture.NewPageAsync(width: 390, height: 844);
        await page.GotoAsync(path);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.ScreenshotAsync(new() { Path = Shot(screenshot), FullPage = true });
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, page.Url);
    }
}

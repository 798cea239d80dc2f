using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

[RunsLong(110)]
public class RoundsPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    // Generous waits: the browser, the app and PostgreSQL share a small machine with other test runs.
    private const float Patience = 30_000;

    private static ILocator Rows(IPage page) => page.Locator("[data-testid=round-table] tbody tr.mud-table-row");
    private static ILocator Summary(IPage page) => page.GetByTestId("round-count");

    private async Task<IPage> OpenAsync(string url, int width = 1366, int height = 900)
    {
        var page = await fixture.NewPageAsync(width, height);
        page.SetDefaultTimeout(Patience);
        page.SetDefaultNavigationTimeout(2 * Patience);
        await BrowserFixture.GotoInteractiveAsync(page, url);
        return page;
    }

    private static Task HasCount(ILocator locator, int count) =>
        Assertions.Expect(locator).ToHaveCountAsync(count, new() { Timeout = Patience });

    private static Task HasText(ILocator locator, string text) =>
        Assertions.Expect(locator).ToHaveTextAsync(text, new() { Timeout = Patience });

    private static Task HasText(ILocator locator, Regex text) =>
        Assertions.Expect(locator).ToHaveTextAsync(text, new() { Timeout = Patience });

    private static Task HasTexts(ILocator locator, IEnumerable<string> texts) =>
        Assertions.Expect(locator).ToHaveTextAsync(texts, new() { Timeout = Patience });

    private static Task Contains(ILocator locator, string text) =>
        Assertions.Expect(locator).ToContainTextAsync(text, new() { Timeout = Patience });

    private static Task HasUrl(IPage page, Regex url) =>
        Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = Patience });

    private static Task HasValue(ILocator locator, string value) =>
        Assertions.Expect(locator).ToHaveValueAsync(value, new() { Timeout = Patience });

    /// <summary>Opens a select filter by its label and ticks one option; the list closes again with Escape.</summary>
    private static async Task PickAsync(IPage page, string filter, string option)
    {
        await page.GetByRole(AriaRole.Combobox, new() { Name = filter }).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex($"^\\s*{Regex.Escape(option)}\\s*$") }).ClickAsync();
        await page.Keyboard.PressAsync("Escape");
    }

    [Fact]
    public async Task A_currency_filter_changes_the_count_and_the_address_and_the_address_reproduces_the_view()
    {
        var page = await OpenAsync("/rounds");
        // Zhipu's year-dated yuan rounds convert at their year's average rate (ADR 0013).
        await HasText(Summary(page), "27 rounds · ≥ US$6.95B; 3 rounds undisclosed");
        await HasCount(Rows(page), 25);

        await PickAsync(page, "Currency reported", "CNY");

        await HasText(Summary(page), new Regex("^9 rounds · "));
        await HasUrl(page, new Regex(@"/rounds\?currency=CNY$"));
        await HasCount(Rows(page), 9);
        await Contains(Rows(page).Filter(new() { HasText = "Baichuan" }), "¥5B");

        await page.ReloadAsync();

        // The reloaded page's first HTML already has the filtered rows (prerendered): the address alone reproduces it.
        await HasText(Summary(page), new Regex("^9 rounds · "));
        await HasCount(Rows(page), 9);
        await HasValue(page.GetByRole(AriaRole.Combobox, new() { Name = "Currency reported" }), "CNY");

        // A button works once the page is interactive.
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true");
        await page.GetByTestId("clear-filters").ClickAsync();
        await HasText(Summary(page), new Regex("^27 rounds · "));
        await HasUrl(page, new Regex("/rounds$"));
    }

    [Fact]
    public async Task A_stage_filter_and_a_sort_live_in_the_address()
    {
        var page = await OpenAsync("/rounds");
        await HasCount(Rows(page), 25);

        await PickAsync(page, "Stage", "Series B");
        await HasText(Summary(page), new Regex("^5 rounds · "));
        await HasUrl(page, new Regex(@"\?stage=SeriesB$"));

        await page.GetByRole(AriaRole.Columnheader).GetByText("Amount").ClickAsync();
        await HasUrl(page, new Regex("sort=amount"));
        await Contains(Rows(page).First, "Moonshot AI");
        await Contains(Rows(page).First, "≥ US$1B");

        // The same address in a new tab gives the same view.
        var again = await OpenAsync(page.Url);
        await HasText(Summary(again), new Regex("^5 rounds · "));
        await Contains(Rows(again).First, "≥ US$1B");
        await Contains(Rows(again).Last, "Zhipu");

        // The menu link leads back to every round, newest first.
        await again.GetByRole(AriaRole.Link, new() { Name = "Funding rounds" }).ClickAsync();
        await HasUrl(again, new Regex("/rounds$"));
        await HasText(Summary(again), new Regex("^27 rounds · "));
        await Contains(Rows(again).First, "StepFun");
        await HasValue(again.GetByRole(AriaRole.Combobox, new() { Name = "Stage" }), "");
    }

    [Fact]
    public async Task Company_search_in_chinese_and_a_link_to_the_company()
    {
        var page = await OpenAsync("/rounds");
        await HasCount(Rows(page), 25);

        await page.GetByTestId("company-filter").Locator("input").FillAsync("月之暗面");

        await HasText(Summary(page), "4 rounds · ≥ US$2.5B");
        await HasUrl(page, new Regex("company=%E6%9C%88%E4%B9%8B%E6%9A%97%E9%9D%A2"));
        await HasCount(Rows(page), 4);
        await HasText(page.Locator("[data-testid=round-company] [lang=zh-CN]").First, "月之暗面");

        await page.GetByRole(AriaRole.Link, new() { Name = "Moonshot AI" }).First.ClickAsync();
        await HasUrl(page, new Regex("/companies/moonshot-ai$"));
    }

    [Fact]
    public async Task Undisclosed_rounds_read_undisclosed_and_an_empty_result_says_so()
    {
        var page = await OpenAsync("/rounds?disclosure=Undisclosed");
        await HasText(Summary(page), "3 rounds · Undisclosed (3 rounds)");
        await HasTexts(page.GetByTestId("round-amount"), ["undisclosed", "undisclosed", "undisclosed"]);

        // 01.AI's "up to US$200M" is still being raised: a bound, marked, and not added.
        await BrowserFixture.GotoInteractiveAsync(page, "/rounds?company=01.AI");
        await HasText(Summary(page), "2 rounds · Undisclosed (1 round)");
        var raising = Rows(page).Filter(new() { HasText = "being raised" });
        await Contains(raising, "≤ US$200M");
        await Contains(page.GetByTestId("round-summary"), "1 round listed but not added");

        await BrowserFixture.GotoInteractiveAsync(page, "/rounds?investor=no-such-investor-at-all");
        await Contains(page.GetByTestId("no-rounds"), "No round matches these filters");
        await page.GetByTestId("no-rounds").GetByRole(AriaRole.Button, new() { Name = "Clear filters" }).ClickAsync();
        await HasText(Summary(page), new Regex("^27 rounds · "));
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task Each_round_shows_its_sources_and_a_disputed_figure_and_a_source_link_lands_on_the_source(int width)
    {
        var page = await OpenAsync("/rounds?company=baichuan", width, 844);
        // Baichuan's Oct 2023 US$300M round: post-money ">$1B" per one source, "$1.2B" per another.
        var round = Rows(page).Filter(new() { HasText = "US$300M" });
        await HasCount(round, 1);
        await Assertions.Expect(round.GetByTestId("disputed").First).ToBeVisibleAsync(new() { Timeout = Patience });
        var sources = round.GetByTestId("round-sources");
        await Contains(sources, "[B3]");

        var marker = sources.Locator(".source-link").Filter(new() { HasText = "[B3]" });
        var href = await marker.GetAttributeAsync("href") ?? "";
        var id = href[(href.IndexOf('#') + 1)..];
        Assert.StartsWith("source-", id);
        await marker.ClickAsync();
        await HasUrl(page, new Regex(@"/rounds\?company=baichuan#" + id + "$"));
        var target = page.Locator("#" + id);
        await Contains(target, "[B3]");
        await Assertions.Expect(target).ToBeInViewportAsync(new() { Timeout = Patience });
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"rounds-sources-{width}.png"), FullPage = true });
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task Funding_by_company_for_a_period_in_a_chosen_currency_counts_undisclosed_rounds_apart(int width)
    {
        var page = await OpenAsync("/rounds?from=2024-01-01&to=2025-12-31", width, 844);
        await page.GetByTestId("view-company").ClickAsync();
        await HasUrl(page, new Regex(@"view=company"));
        var rows = page.GetByTestId("by-company-row");
        // Moonshot: >US$1B and >US$300M in 2024, US$500M in Dec 2025.
        await Contains(rows.First, "Moonshot AI");
        await Contains(rows.First.GetByTestId("by-company-raised"), "US$1.8B");

        await page.GetByRole(AriaRole.Combobox, new() { Name = "Show amounts in" }).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextRegex = new Regex(@"^\s*CNY\s*$") }).ClickAsync();
        await HasUrl(page, new Regex(@"cur=CNY"));
        await Contains(rows.First.GetByTestId("by-company-raised"), "¥");
        await Contains(page.GetByTestId("by-company-rate"), "CNY/US$");
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "/rounds by company");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, $"rounds-by-company-{width}.png"), FullPage = true });
        await BrowserFixture.AssertAccessibleAsync(page);

        // 01.AI's Nov 2023 round is undisclosed: counted in its column, the raised figure not a zero.
        await BrowserFixture.GotoInteractiveAsync(page, "/rounds?view=company&company=01.AI");
        await HasCount(rows, 1);
        await HasText(rows.First.GetByTestId("by-company-raised"), "undisclosed");
        await HasText(rows.First.GetByTestId("by-company-undisclosed"), "1");
    }

    [Fact]
    public async Task Paging_is_in_the_address()
    {
        var page = await OpenAsync("/rounds?size=10&page=3");
        await HasCount(Rows(page), 7);
        // The two undated rounds close the list.
        await Contains(Rows(page).Last, "date not reported");

        await page.GetByRole(AriaRole.Button, new() { Name = "Previous page" }).ClickAsync();
        await HasUrl(page, new Regex(@"page=2"));
        await HasCount(Rows(page), 10);
    }

    [Fact]
    public async Task The_page_is_accessible_and_reads_well_wide_and_on_a_phone()
    {
        var page = await OpenAsync("/rounds");
        await HasCount(Rows(page), 25);
        await HasText(page.GetByRole(AriaRole.Heading, new() { Level = 1 }), "Funding rounds");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "rounds.png"), FullPage = true });
        await BrowserFixture.AssertAccessibleAsync(page);

        var phone = await OpenAsync("/rounds?currency=CNY", width: 390, height: 844);
        await HasCount(Rows(phone), 9);
        await Assertions.Expect(phone.GetByText("智谱").First).ToBeVisibleAsync(new() { Timeout = Patience });
        await BrowserFixture.AssertNoSidewaysScrollAsync(phone, "/rounds");
        await phone.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "rounds-narrow.png"), FullPage = true });
        await BrowserFixture.AssertAccessibleAsync(phone);
    }
}

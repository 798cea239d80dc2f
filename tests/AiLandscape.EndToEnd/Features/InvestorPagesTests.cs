using System.Text.RegularExpressions;

// ".Investors" so that the area's filter (FullyQualifiedName~Investors) picks these up as it does the unit tests.
namespace AiLandscape.EndToEnd.Features.Investors;

[RunsLong(110)]
public class InvestorPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>
    /// How long the first content after a full page load may take: the circuit starts, then the table loads. Generous
    /// because CI machines run several browser test classes at once.
    /// </summary>
    private const float FirstLoad = 20_000;

    /// <summary>A page whose navigations and actions tolerate a busy machine (the fixture's default is 15 s).</summary>
    private async Task<IPage> OpenAsync(int width = 1366, int height = 900)
    {
        var page = await fixture.NewPageAsync(width, height);
        page.SetDefaultTimeout(30_000);
        return page;
    }

    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    private static ILocator Rows(IPage page) => page.Locator("[data-testid=investor-table] tbody tr");

    private static string DecodedUrl(IPage page) => Uri.UnescapeDataString(page.Url);

    [Fact]
    public async Task An_analyst_finds_an_investor_by_its_chinese_name_reads_its_portfolio_and_co_investors()
    {
        var page = await OpenAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/investors");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25, new() { Timeout = FirstLoad });

        await page.GetByLabel("Search by English or Chinese name or alias").FillAsync("阿里巴巴");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1);
        var alibaba = Rows(page).First;
        await Assertions.Expect(alibaba).ToContainTextAsync("阿里巴巴");
        await Assertions.Expect(alibaba.Locator("[data-testid=round-count]")).ToHaveTextAsync("10");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("q=%E9%98%BF"));

        await alibaba.GetByRole(AriaRole.Link, new() { Name = "Alibaba", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/investors/alibaba$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(new Regex("Alibaba\\s*阿里巴巴"));
        await Assertions.Expect(page).ToHaveTitleAsync(new Regex("^Alibaba 阿里巴巴"));
        await Assertions.Expect(page.Locator("[data-testid=key-company-count]")).ToHaveTextAsync("5");
        await Assertions.Expect(page.Locator("[data-testid=key-latest]")).ToHaveTextAsync("9 Jan 2026");
        await Assertions.Expect(page.Locator("[data-testid=key-first]")).ToHaveTextAsync("2023");

        var portfolio = page.Locator("[data-testid=portfolio-company]");
        await Assertions.Expect(portfolio).ToHaveCountAsync(5);
        var zeroOne = portfolio.Filter(new() { HasText = "01.AI" });
        await Assertions.Expect(zeroOne).ToContainTextAsync("via Alibaba Cloud");
        await Assertions.Expect(zeroOne).ToContainTextAsync("undisclosed");
        await Assertions.Expect(portfolio.Filter(new() { HasText = "Moonshot AI" })).ToContainTextAsync("≥ US$1B");

        var coInvestors = page.Locator("[data-testid=co-investor]");
        await Assertions.Expect(coInvestors.First).ToContainTextAsync("Tencent");
        await Assertions.Expect(coInvestors.First.Locator("[data-testid=shared-rounds]")).ToHaveTextAsync("6");

        // Every source link points at an entry of the list at the bottom.
        var firstSource = page.Locator(".source-link").First;
        var href = await firstSource.GetAttributeAsync("href") ?? "";
        Assert.StartsWith("investors/alibaba#", href);
        await Assertions.Expect(page.Locator(href[href.IndexOf('#')..])).ToHaveCountAsync(1);

        await portfolio.Filter(new() { HasText = "Moonshot AI" }).GetByRole(AriaRole.Link, new() { Name = "Moonshot AI" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/moonshot-ai$"));
        await page.GoBackAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/investors/alibaba$"));
        await Assertions.Expect(page.Locator("[data-testid=portfolio-company]")).ToHaveCountAsync(5);
        await Assertions.Expect(page.Locator("[data-testid=co-investor]").First).ToContainTextAsync("Tencent");

        // A co-investor's link opens its profile in place.
        await page.Locator("[data-testid=co-investor]").First.GetByRole(AriaRole.Link, new() { Name = "Tencent" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/investors/tencent$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("腾讯");
        await Assertions.Expect(page.Locator("[data-testid=co-investor]").First).ToContainTextAsync("Alibaba");
    }

    [Fact]
    public async Task Alibabas_rounds_leads_and_companies_read_the_same_on_the_home_page_the_list_and_its_profile()
    {
        var page = await OpenAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        var home = page.Locator("[data-testid=active-investors] tbody tr", new() { HasText = "Alibaba" })
            .Filter(new() { HasNotText = "Cloud" });
        await Assertions.Expect(home.Locator("td")).ToHaveTextAsync(["Alibaba", "10", "3", "5"], new() { Timeout = FirstLoad });

        await BrowserFixture.GotoInteractiveAsync(page, "/investors?q=" + Uri.EscapeDataString("阿里巴巴"));
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1, new() { Timeout = FirstLoad });
        var row = Rows(page).First;
        await Assertions.Expect(row.Locator("[data-testid=round-count]")).ToHaveTextAsync("10", new() { Timeout = FirstLoad });
        await Assertions.Expect(row.Locator("[data-testid=lead-count]")).ToHaveTextAsync("3");
        await Assertions.Expect(row.Locator("[data-testid=company-count]")).ToHaveTextAsync("5");

        await BrowserFixture.GotoInteractiveAsync(page, "/investors/alibaba");
        await Assertions.Expect(page.Locator("[data-testid=key-round-count]")).ToHaveTextAsync("10");
        await Assertions.Expect(page.Locator("[data-testid=key-lead-count]")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("[data-testid=key-company-count]")).ToHaveTextAsync("5");
    }

    [Fact]
    public async Task The_kind_filter_changes_the_rows_and_the_url_and_a_reload_reproduces_the_view()
    {
        var page = await OpenAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/investors");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25, new() { Timeout = FirstLoad });
        await Assertions.Expect(page.Locator("[data-testid=investor-count]")).ToHaveTextAsync("47 investors");

        await page.Locator("[data-testid=investor-kind]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Sovereign fund" }).ClickAsync();
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1);
        await Assertions.Expect(Rows(page).First).ToContainTextAsync("Abu Dhabi Investment Authority");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]kind=sovereign"));

        await page.ReloadAsync();
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(1, new() { Timeout = FirstLoad });
        await Assertions.Expect(Rows(page).First).ToContainTextAsync("Abu Dhabi Investment Authority");
        await Assertions.Expect(page.Locator("[data-testid=investor-kind]")).ToHaveValueAsync("Sovereign fund");

        // The reloaded page shows its rows before it is interactive (prerendered); the button needs the circuit.
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true", new() { Timeout = FirstLoad });
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear search and filters" }).First.ClickAsync();
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/investors$"));
    }

    [Fact]
    public async Task Fast_typing_in_the_search_field_keeps_every_character_and_the_url_gets_the_whole_query()
    {
        var page = await OpenAsync();
        // Over a slow network the URL the page writes after one pause comes back while the user types on.
        await BrowserFixture.SlowCircuitAsync(page, TimeSpan.FromMilliseconds(1000));
        await BrowserFixture.GotoInteractiveAsync(page, "/investors");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25, new() { Timeout = FirstLoad });

        var search = page.GetByLabel("Search by English or Chinese name or alias");
        // Pauses about as long as the field's debounce make it send the query mid-word, while typing goes on.
        foreach (var chunk in new[] { "al", "ibaba ", "cl", "oud" })
        {
            await search.PressSequentiallyAsync(chunk, new() { Delay = 30 });
            await page.WaitForTimeoutAsync(320);
        }

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]q=alibaba%20cloud$"));
        await Assertions.Expect(search).ToHaveValueAsync("alibaba cloud");
        await Assertions.Expect(Rows(page).First).ToContainTextAsync("Alibaba");
    }

    [Fact]
    public async Task Sort_and_page_live_in_the_url()
    {
        var page = await OpenAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/investors");
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25, new() { Timeout = FirstLoad });

        await page.Locator("[data-testid=investor-table] thead").GetByText("Rounds").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]sort=rounds-desc"));
        await Assertions.Expect(Rows(page).First).ToContainTextAsync("Alibaba");
        await Assertions.Expect(Rows(page).Nth(1)).ToContainTextAsync("Tencent");

        await page.GetByRole(AriaRole.Button, new() { Name = "Next page" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("[?&]page=2"));
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(22);
        var firstOnPageTwo = await Rows(page).First.Locator(".investor-name").InnerTextAsync();

        // After a reload the prerendered rows show first; the table may then show its loading row for a moment while
        // the circuit starts, so the check waits for the same first investor rather than reading the row at once.
        await page.ReloadAsync();
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(22, new() { Timeout = FirstLoad });
        await Assertions.Expect(Rows(page).First.Locator(".investor-name")).ToHaveTextAsync(firstOnPageTwo, new() { Timeout = FirstLoad });
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(22);

        // A shared link with search, kind, sort and page.
        await BrowserFixture.GotoInteractiveAsync(page, "/investors?q=capital&kind=venture-capital&sort=name-desc");
        await Assertions.Expect(Rows(page).First).ToContainTextAsync("Shunwei", new() { Timeout = FirstLoad }); // alias "Shunwei Capital"
        var names = await page.Locator("[data-testid=investor-table] tbody tr .investor-name").AllInnerTextsAsync();
        Assert.Equal(names.OrderDescending(StringComparer.OrdinalIgnoreCase), names);
        Assert.Contains("IDG Capital", names);
        Assert.DoesNotContain("Shenzhen Capital", names); // state-backed
        Assert.Contains("q=capital", DecodedUrl(page));
    }

    [Fact]
    public async Task A_search_without_results_says_so_and_offers_a_way_out()
    {
        var page = await OpenAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/investors?q=qwertyuiop");
        var empty = page.Locator("[data-testid=no-results]");
        await Assertions.Expect(empty).ToContainTextAsync("No investor matches “qwertyuiop”", new() { Timeout = FirstLoad });
        await empty.GetByRole(AriaRole.Button, new() { Name = "Clear search and filters" }).ClickAsync();
        await Assertions.Expect(Rows(page)).ToHaveCountAsync(25);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/investors$"));
    }

    [Fact]
    public async Task A_unit_links_its_parent_and_an_investor_without_rounds_says_so()
    {
        var page = await OpenAsync();
        await page.GotoAsync("/investors/alibaba-cloud");
        await Assertions.Expect(page.Locator("[data-testid=parent]")).ToContainTextAsync("Alibaba", new() { Timeout = FirstLoad });
        await Assertions.Expect(page.Locator("[data-testid=round-role]").First).ToContainTextAsync("Lead");
        await Assertions.Expect(page.Locator("[data-testid=no-co-investors]")).ToBeVisibleAsync();

        await page.GotoAsync("/investors/high-flyer");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("幻方", new() { Timeout = FirstLoad });
        await Assertions.Expect(page.Locator("[data-testid=no-portfolio]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=key-latest]")).ToHaveTextAsync("date not reported");
    }

    [Fact]
    public async Task An_unknown_investor_gives_the_404_page()
    {
        var page = await OpenAsync();
        var response = await page.GotoAsync("/investors/no-such");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("/investors", 1366, "investors-list.png")]
    [InlineData("/investors/alibaba", 1366, "investors-profile.png")]
    [InlineData("/investors", 390, "investors-list-narrow.png")]
    [InlineData("/investors/alibaba", 390, "investors-profile-narrow.png")]
    public async Task Investor_pages_are_accessible_and_fit_the_screen(string path, int width, string screenshot)
    {
        var page = await OpenAsync(width, width < 600 ? 844 : 900);
        await page.GotoAsync(path);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync(new() { Timeout = FirstLoad });
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveCountAsync(1);
        // Wait for what the circuit renders last, not for network idle: the circuit's socket may never go quiet.
        if (path == "/investors")
        {
            await Assertions.Expect(Rows(page)).ToHaveCountAsync(25, new() { Timeout = FirstLoad });
            await Assertions.Expect(page.Locator("[data-testid=investor-count]")).ToHaveTextAsync("47 investors");
        }
        else
        {
            await Assertions.Expect(page.Locator("[data-testid=co-investor]").First).ToBeVisibleAsync();
        }
        await Assertions.Expect(page.Locator("[lang=zh-CN]").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot(screenshot), FullPage = true });

        await BrowserFixture.AssertNoSidewaysScrollAsync(page, page.Url);
        await BrowserFixture.AssertAccessibleAsync(page);
    }
}

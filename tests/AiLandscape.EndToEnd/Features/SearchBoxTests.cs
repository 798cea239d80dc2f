using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

/// <summary>The app bar's search box: "/" reaches it, the keyboard chooses a hit, Enter alone opens /search; on a phone too.</summary>
public class SearchBoxTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    private static ILocator Box(IPage page) => page.GetByRole(AriaRole.Combobox, new() { Name = "Search companies, investors, people, models and sources" });

    private static ILocator Options(IPage page) => page.GetByRole(AriaRole.Listbox, new() { Name = "Search results" }).GetByRole(AriaRole.Option);

    [Fact]
    public async Task Slash_focuses_the_box_and_arrow_keys_with_enter_open_the_chosen_hit()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        // Past the first interactive render, whose FocusOnNavigate moves focus to the heading.
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-layout-ready", "true");
        await page.Keyboard.PressAsync("/");
        await Assertions.Expect(Box(page)).ToBeFocusedAsync();
        await Box(page).PressSequentiallyAsync("Kai-Fu");

        // Companies first: 01.AI, found through its founder; then the person, with role and company.
        await Assertions.Expect(Options(page).First).ToContainTextAsync("01.AI");
        await Assertions.Expect(Options(page).First).ToContainTextAsync("零一万物");
        await Assertions.Expect(Options(page).First).ToContainTextAsync("Kai-Fu Lee: Founder & CEO");
        var person = Options(page).Filter(new() { HasText = "李开复" });
        await Assertions.Expect(person).ToContainTextAsync("Founder & CEO, 01.AI");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("search-box-1366.png") });

        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(person).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("ArrowUp");
        await Assertions.Expect(Options(page).First).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(Box(page)).ToHaveAttributeAsync("aria-activedescendant", (await Options(page).First.GetAttributeAsync("id"))!);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/01-ai$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("01.AI");
        await Assertions.Expect(Options(page)).ToHaveCountAsync(0); // the list closed on the way
    }

    [Fact]
    public async Task Enter_with_nothing_chosen_opens_the_results_page_with_the_query_in_the_url()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/investors");
        // "/" typed in another field stays there.
        var directorySearch = page.GetByLabel("Search by English or Chinese name or alias");
        await directorySearch.ClickAsync();
        await page.Keyboard.PressAsync("/");
        // (Its value is the investor list's business: it rewrites the field from the URL after its debounce.)
        await Assertions.Expect(directorySearch).ToBeFocusedAsync();
        await Assertions.Expect(Box(page)).Not.ToBeFocusedAsync();
        await Box(page).ClickAsync();
        await Box(page).PressSequentiallyAsync("deepseek r1");
        await Assertions.Expect(Options(page).Filter(new() { HasText = "DeepSeek-R1" })).ToHaveCountAsync(1);
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/search\?q=deepseek%20r1$"));
        var models = page.Locator("[data-testid=search-group-Model]");
        await Assertions.Expect(models.GetByRole(AriaRole.Link).First).ToHaveTextAsync("DeepSeek-R1");
        await Assertions.Expect(models.GetByRole(AriaRole.Link).First).ToHaveAttributeAsync("href", new Regex("^/companies/deepseek#model-\\d+$"));
    }

    [Fact]
    public async Task The_results_page_is_in_the_first_html_and_a_short_query_gets_a_hint()
    {
        var page = await fixture.NewPageAsync();
        // Before any script runs: the prerendered HTML already holds the hits.
        var html = await (await page.APIRequest.GetAsync("/search?q=" + Uri.EscapeDataString("杨植麟"))).TextAsync();
        Assert.Contains("Moonshot AI", html);
        Assert.Contains("Yang Zhilin", html);
        Assert.Contains("href=\"/companies/moonshot-ai\"", html);
        // Every page's first HTML has the box as a plain form: Enter before the circuit runs (or without script) still
        // reaches the results page.
        var home = await (await page.APIRequest.GetAsync("/")).TextAsync();
        Assert.Matches("<form class=\"app-search-form\" role=\"search\" action=\"/search\" method=\"get\"", home);
        Assert.Contains("name=\"q\"", home);
        await BrowserFixture.GotoInteractiveAsync(page, "/search?q=" + Uri.EscapeDataString("杨植麟"));
        await Assertions.Expect(page.Locator("[data-testid=search-group-Person]")).ToContainTextAsync("Co-founder & CEO, Moonshot AI");
        await page.ScreenshotAsync(new() { Path = Shot("search-page-1366.png") });

        await BrowserFixture.GotoInteractiveAsync(page, "/search?q=a");
        await Assertions.Expect(page.Locator("[data-testid=search-hint]")).ToContainTextAsync("at least two characters");
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task A_typo_that_finds_nothing_gets_did_you_mean_in_the_box_the_results_page_and_the_directory(int width)
    {
        var page = await fixture.NewPageAsync(width, 844);
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-layout-ready", "true");
        if (width < 600)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Open search" }).ClickAsync();
        }
        await Box(page).ClickAsync();
        await Box(page).PressSequentiallyAsync("zhpux");
        var popover = page.Locator("[data-testid=app-search-popover]");
        await Assertions.Expect(popover).ToContainTextAsync("Nothing found for “zhpux”.");
        var suggestion = popover.Locator("[data-testid=search-suggestion]").First;
        await Assertions.Expect(suggestion).ToHaveTextAsync("Zhipu AI");
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "/ with a suggestion open");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot($"search-suggestion-box-{width}.png") });
        await suggestion.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/search\?q=Zhipu%20AI$"));
        await Assertions.Expect(page.Locator("[data-testid=search-group-Company]").GetByRole(AriaRole.Link).First).ToHaveTextAsync("Zhipu AI");

        // The results page and the directory say it too, already in their first HTML.
        var html = await (await page.APIRequest.GetAsync("/search?q=zhpux")).TextAsync();
        Assert.Matches("Did you mean\\s*<a href=\"/search\\?q=Zhipu%20AI\"", html);
        await BrowserFixture.GotoInteractiveAsync(page, "/companies?q=zhpux&city=Beijing");
        var directory = page.Locator("[data-testid=no-results] [data-testid=search-suggestion]").First;
        await Assertions.Expect(directory).ToHaveTextAsync("Zhipu AI");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot($"search-suggestion-companies-{width}.png"), FullPage = true });
        await directory.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/companies\?q=Zhipu%20AI&city=Beijing$"));
        await Assertions.Expect(page.Locator("[data-testid=company-grid] a.company-name").First).ToHaveTextAsync("Zhipu AI");
    }

    [Fact]
    public async Task On_a_phone_an_icon_opens_the_box_and_hits_fit_the_screen()
    {
        var page = await fixture.NewPageAsync(390, 844);
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-layout-ready", "true");
        await Assertions.Expect(Box(page)).Not.ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Open search" }).ClickAsync();
        await Assertions.Expect(Box(page)).ToBeFocusedAsync();
        await Box(page).PressSequentiallyAsync("李开复");
        await Assertions.Expect(Options(page).First).ToContainTextAsync("01.AI");
        await Assertions.Expect(Options(page).Filter(new() { HasText = "Kai-Fu Lee" })).ToHaveCountAsync(2); // company (via) and person
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "/ with the search open");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("search-box-390.png") });

        await Options(page).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/01-ai$"));
        await Assertions.Expect(Box(page)).Not.ToBeVisibleAsync(); // folded away again
    }
}

using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

/// <summary>
/// The list pages on a 390 px phone: filters fold behind one button that counts the filters on, the company directory
/// can be sorted without column headers, and Chinese names never break inside a word.
/// </summary>
public class ListPagesOnAPhoneTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const float Patience = 30_000;

    private async Task<IPage> OpenAsync(string url, int width = 390, int height = 844)
    {
        var page = await fixture.NewPageAsync(width, height);
        page.SetDefaultTimeout(Patience);
        page.SetDefaultNavigationTimeout(2 * Patience);
        await BrowserFixture.GotoInteractiveAsync(page, url);
        return page;
    }

    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    [Fact]
    public async Task Phone_filters_fold_behind_one_button_that_counts_the_filters_on()
    {
        var page = await OpenAsync("/rounds?currency=CNY&stage=SeriesB");
        var toggle = page.GetByTestId("filters-toggle");
        await Assertions.Expect(toggle).ToContainTextAsync("Filters (2 on)");
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "false");
        await Assertions.Expect(page.GetByLabel("Announced to")).ToBeHiddenAsync();
        // The list starts on the first screen.
        await Assertions.Expect(page.Locator("[data-testid=round-table] tbody tr.mud-table-row").First).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = Shot("rounds-filters-folded-narrow.png") });
        await BrowserFixture.AssertAccessibleAsync(page);

        await toggle.ClickAsync();
        await Assertions.Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Assertions.Expect(page.GetByLabel("Announced to")).ToBeVisibleAsync();
        // A select's list opens whole over the open panel (nothing clips it) and closes again.
        await page.GetByRole(AriaRole.Combobox, new() { Name = "Disclosure" }).ClickAsync();
        var options = page.Locator(".mud-popover-open .mud-list-item");
        await Assertions.Expect(options.Last).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByLabel("Announced from")).ToBeVisibleAsync();
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "/rounds with the filters open");
        await page.ScreenshotAsync(new() { Path = Shot("rounds-filters-open-narrow.png"), FullPage = true });

        // Wide, there is no fold: the filters are simply there.
        var wide = await OpenAsync("/rounds?currency=CNY", 1366, 900);
        await Assertions.Expect(wide.GetByTestId("filters-toggle")).ToBeHiddenAsync();
        await Assertions.Expect(wide.GetByLabel("Announced to")).ToBeVisibleAsync();

        var companies = await OpenAsync("/companies?city=Beijing");
        await Assertions.Expect(companies.GetByTestId("filters-toggle")).ToContainTextAsync("Filters (1 on)");
        await Assertions.Expect(companies.GetByLabel("Founded from")).ToBeHiddenAsync();
        await Assertions.Expect(companies.GetByTestId("company-search")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_phone_company_directory_sorts_like_the_wide_grid()
    {
        var wide = await OpenAsync("/companies?sort=raised&desc=true", 1366, 900);
        var wideFirst = wide.Locator("[data-testid=company-grid] tbody tr").First.Locator(".company-name");
        await Assertions.Expect(wideFirst).Not.ToBeEmptyAsync();
        var most = await wideFirst.InnerTextAsync();
        Assert.NotEqual("01.AI", most); // not the alphabetical first, or the test would prove nothing

        var page = await OpenAsync("/companies");
        var firstName = page.Locator("[data-testid=company-grid] tbody tr").First.Locator(".company-name");
        await Assertions.Expect(firstName).ToHaveTextAsync("01.AI");

        await page.GetByRole(AriaRole.Combobox, new() { Name = "Sort by" }).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasText = "Total raised, most first" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"sort=raised&desc=true"), new() { Timeout = Patience });
        await Assertions.Expect(firstName).ToHaveTextAsync(most);
        await page.Mouse.MoveAsync(0, 0); // the tap left a hover shade on the first card
        await page.ScreenshotAsync(new() { Path = Shot("companies-sorted-narrow.png") });
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    [Theory]
    [InlineData("/companies", 1366)]
    [InlineData("/rounds", 1366)]
    [InlineData("/investors", 1366)]
    [InlineData("/companies", 390)]
    [InlineData("/rounds", 390)]
    public async Task Chinese_names_never_break_inside_a_word(string url, int width)
    {
        var page = await OpenAsync(url, width, 900);
        var names = page.Locator("span[lang|=zh]");
        await Assertions.Expect(names.First).ToBeVisibleAsync();
        // A span split over two lines has two boxes.
        var broken = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('span[lang|=zh]')]
                .filter(e => e.getClientRects().length > 1)
                .map(e => e.textContent.trim())
            """);
        Assert.True(broken.Length == 0, $"{url} at {width}px breaks: {string.Join(", ", broken)}");
    }
}

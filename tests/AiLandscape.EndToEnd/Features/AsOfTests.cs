using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

/// <summary>The landscape as of a day, chosen on the page: event time and knowledge time.</summary>
public class AsOfTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    [Fact]
    public async Task On_compare_an_investor_picks_a_day_and_sees_the_valuations_of_then()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/compare?c=moonshot-ai,minimax");
        var moonshot = page.Locator("[data-testid=compare-table] tbody tr").Filter(new() { HasText = "Moonshot AI" });
        var minimax = page.Locator("[data-testid=compare-table] tbody tr").Filter(new() { HasText = "MiniMax" });
        await Assertions.Expect(moonshot.Locator("[data-testid=compare-valuation]")).ToContainTextAsync("US$4.8B");
        await Assertions.Expect(page.Locator("[data-testid=as-of-banner]")).ToHaveCountAsync(0);

        await page.Locator("input[data-testid=as-of-date]").FillAsync("2025-01-01");
        await page.Locator("[data-testid=as-of-apply]").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"c=moonshot-ai,minimax&asOf=2025-01-01&view=event$"));
        await Assertions.Expect(page.Locator("[data-testid=as-of-banner]")).ToContainTextAsync("As of 1 Jan 2025, event time");
        await Assertions.Expect(moonshot.Locator("[data-testid=compare-valuation]")).ToContainTextAsync("US$3.3B");
        await Assertions.Expect(minimax.Locator("[data-testid=compare-valuation]")).ToContainTextAsync("US$2.5B");
        await Assertions.Expect(page.Locator("[data-testid=compare-csv]"))
            .ToHaveAttributeAsync("href", "/compare.csv?c=moonshot-ai,minimax&asOf=2025-01-01&view=event");
        await page.ScreenshotAsync(new() { Path = Shot("compare-as-of-event.png"), FullPage = true });

        // Adding a company keeps the day.
        await page.GetByLabel("Add a company (English or Chinese name)").FillAsync("智谱");
        await page.GetByRole(AriaRole.Option).Filter(new() { HasText = "Zhipu" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"c=moonshot-ai,minimax,zhipu-ai&asOf=2025-01-01&view=event$"));
        await Assertions.Expect(page.Locator("[data-testid=compare-table] tbody tr")).ToHaveCountAsync(3);

        // Knowledge time: what was recorded by then; the seeded data counts as known from the start.
        await page.Locator("[data-testid=as-of-knowledge]").ClickAsync();
        await page.Locator("[data-testid=as-of-apply]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"asOf=2025-01-01&view=knowledge$"));
        await Assertions.Expect(page.Locator("[data-testid=as-of-banner]")).ToContainTextAsync("knowledge time");
        await Assertions.Expect(moonshot.Locator("[data-testid=compare-valuation]")).ToContainTextAsync("US$4.8B");

        await page.Locator("[data-testid=as-of-clear]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"/compare\?c=moonshot-ai,minimax,zhipu-ai$"));
        await Assertions.Expect(page.Locator("[data-testid=as-of-banner]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_profile_as_of_a_day_says_so_offers_no_edits_and_fits_a_phone()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com", width: 390, height: 844);
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/moonshot-ai?asOf=2024-06-01&view=event");

        await Assertions.Expect(page.Locator("[data-testid=as-of-banner]")).ToContainTextAsync("As of 1 Jun 2024, event time");
        await Assertions.Expect(page.Locator("[data-testid=editor-actions]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=edit-link]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("US$2.5B").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("US$4.8B")).ToHaveCountAsync(0);
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "a profile as of a day at 390px");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("profile-as-of-narrow.png") });

        await BrowserFixture.GotoInteractiveAsync(page, "/companies/moonshot-ai?asOf=2025-13-01");
        await Assertions.Expect(page.Locator("[data-testid=as-of-error]")).ToContainTextAsync("“asOf” must be a date written YYYY-MM-DD");
        await Assertions.Expect(page.Locator("[data-testid=editor-actions]")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_company_recorded_after_the_day_is_said_to_be_not_yet_recorded_in_knowledge_time()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com");
        var created = await page.APIRequest.PostAsync("/api/v1/companies", new()
        {
            DataObject = new { slug = "later-ai", nameEn = "Later AI", nameZh = "后来智能", status = "Private" },
        });
        Assert.Equal(201, created.Status);
        var yesterday = DateTime.UtcNow.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        await BrowserFixture.GotoInteractiveAsync(page, $"/companies/later-ai?asOf={yesterday}&view=knowledge");
        await Assertions.Expect(page.Locator("[data-testid=not-yet-recorded]")).ToContainTextAsync("was not yet in AiLandscape");
        await Assertions.Expect(page.Locator("[data-testid=as-of-banner]")).ToContainTextAsync("knowledge time");
        await page.ScreenshotAsync(new() { Path = Shot("profile-as-of-not-yet.png") });

        // In event time it exists (nothing dated about it is in the future).
        await BrowserFixture.GotoInteractiveAsync(page, $"/companies/later-ai?asOf={yesterday}&view=event");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Later AI");
    }

    [Fact]
    public async Task The_dashboard_as_of_a_day_shows_the_banner_and_fits_a_phone()
    {
        var page = await fixture.NewPageAsync(390, 844);
        await BrowserFixture.GotoInteractiveAsync(page, "/?asOf=2024-01-01&view=knowledge");

        await Assertions.Expect(page.Locator("[data-testid=as-of-banner]")).ToContainTextAsync("As of 1 Jan 2024, knowledge time");
        await Assertions.Expect(page.Locator("[data-testid=company-table] tbody tr").First).ToBeVisibleAsync();
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "the dashboard as of a day at 390px");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("home-as-of-narrow.png") });
    }
}

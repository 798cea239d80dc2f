using System.Text.RegularExpressions;

// ".People" so that the area's filter (FullyQualifiedName~People) picks these up as it does the unit tests.
namespace AiLandscape.EndToEnd.Features.People;

/// <summary>The person pages and the model directory in a real browser, on a desktop and on a phone.</summary>
public class PeopleAndModelsTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    private async Task<IPage> OpenAsync(int width = 1366, int height = 900)
    {
        var page = await fixture.NewPageAsync(width, height);
        page.SetDefaultTimeout(30_000);
        return page;
    }

    private static ILocator Rows(IPage page, string table) => page.Locator($"[data-testid={table}] tbody tr");

    [Theory]
    [InlineData(1366, 900, "wide")]
    [InlineData(390, 844, "narrow")]
    public async Task A_person_page_shows_both_names_roles_at_the_company_and_sources(int width, int height, string suffix)
    {
        var page = await OpenAsync(width, height);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await BrowserFixture.GotoInteractiveAsync(page, "/people/kai-fu-lee");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Kai-Fu Lee");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("李开复");
        await Assertions.Expect(page.Locator("[data-testid=person-pinyin]")).ToHaveTextAsync("Li Kaifu"); // beside the names
        await Assertions.Expect(page.Locator("[data-testid=facts] [data-testid=pinyin]")).ToContainTextAsync("Li Kaifu");
        var roles = page.Locator("[data-testid=role-company]");
        await Assertions.Expect(roles).ToHaveCountAsync(1);
        await Assertions.Expect(roles.GetByRole(AriaRole.Link, new() { Name = "01.AI", Exact = true })).ToBeVisibleAsync();
        await Assertions.Expect(roles.Locator("[data-testid=role-title]")).ToHaveTextAsync(["Founder", "CEO"]);
        await Assertions.Expect(page.Locator("[data-testid=source-list] li").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot($"person-kai-fu-lee-{suffix}.png"), FullPage = true });
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "/people/kai-fu-lee");
        await BrowserFixture.AssertAccessibleAsync(page);
        Assert.Empty(errors);

        // A role with a date shows it; the company link leads to the profile, which links back.
        await BrowserFixture.GotoInteractiveAsync(page, "/people/yin-qi");
        await Assertions.Expect(page.Locator("[data-testid=role-dates]")).ToContainTextAsync("since 26 Jan 2026");
        await page.Locator("[data-testid=role-company]").GetByRole(AriaRole.Link, new() { Name = "StepFun", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/stepfun$"));
        await page.Locator("[data-testid=company-person]").GetByRole(AriaRole.Link, new() { Name = "Jiang Daxin", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/people/jiang-daxin$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("姜大昕");
        // His English name is his pinyin: not repeated under it, only among the facts.
        await Assertions.Expect(page.Locator("[data-testid=facts] [data-testid=pinyin]")).ToContainTextAsync("Jiang Daxin");
        await Assertions.Expect(page.Locator("[data-testid=person-pinyin]")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_unknown_person_gets_the_not_found_page()
    {
        var page = await OpenAsync();
        var response = await page.GotoAsync("/people/nobody-at-all");
        Assert.Equal(404, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Page not found");
    }

    [Fact]
    public async Task The_people_list_has_rows_in_the_first_html_and_filters_by_chinese_name()
    {
        var page = await OpenAsync();
        await page.RouteAsync("**/_framework/blazor.web.js*", route => route.AbortAsync()); // no circuit: the first HTML only
        await page.GotoAsync("/people");
        await Assertions.Expect(Rows(page, "person-table")).ToHaveCountAsync(16);
        await page.Context.CloseAsync();

        page = await OpenAsync(390, 844);
        await BrowserFixture.GotoInteractiveAsync(page, "/people");
        await Assertions.Expect(Rows(page, "person-table")).ToHaveCountAsync(16);
        await page.GetByLabel("Search by English or Chinese name or pinyin").FillAsync("杨植麟");
        await Assertions.Expect(Rows(page, "person-table")).ToHaveCountAsync(1);
        await Assertions.Expect(Rows(page, "person-table").First).ToContainTextAsync("Moonshot AI");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/people\\?q=%E6%9D%A8"));
        await page.ScreenshotAsync(new() { Path = Shot("people-search-narrow.png"), FullPage = true });
        await page.GetByLabel("Search by English or Chinese name or pinyin").FillAsync("nobody like this");
        await Assertions.Expect(page.Locator("[data-testid=no-results]")).ToContainTextAsync("No person matches");
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "/people");
    }

    [Theory]
    [InlineData(1366, 900, "wide")]
    [InlineData(390, 844, "narrow")]
    public async Task The_model_directory_renders_filters_and_keeps_the_view_in_the_url(int width, int height, string suffix)
    {
        var page = await OpenAsync(width, height);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await BrowserFixture.GotoInteractiveAsync(page, "/models");
        await Assertions.Expect(Rows(page, "model-table")).ToHaveCountAsync(24);
        await Assertions.Expect(page.Locator("[data-testid=model-count]")).ToHaveTextAsync("24 model releases");
        await page.ScreenshotAsync(new() { Path = Shot($"models-{suffix}.png"), FullPage = true });
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "/models");
        await BrowserFixture.AssertAccessibleAsync(page);

        // A link with filters reproduces the view: the open-weights releases of 2025 under MIT.
        await BrowserFixture.GotoInteractiveAsync(page, "/models?year=2025&open=yes&licence=MIT");
        await Assertions.Expect(Rows(page, "model-table")).ToHaveCountAsync(4); // R1, V3-0324, Step-Video-T2V, GLM-4.5
        await Assertions.Expect(Rows(page, "model-table").First).ToContainTextAsync("GLM-4.5"); // newest first
        var csv = page.Locator("[data-testid=models-csv]");
        await Assertions.Expect(csv).ToHaveAttributeAsync("href", new Regex("/export/models\\.csv\\?year=2025&open=yes&licence=MIT$"));

        // Nothing matches: the empty state says so and offers to clear.
        await BrowserFixture.GotoInteractiveAsync(page, "/models?company=01-ai&year=2025");
        await Assertions.Expect(page.Locator("[data-testid=no-results]")).ToContainTextAsync("No model release matches these filters.");
        await page.ScreenshotAsync(new() { Path = Shot($"models-empty-{suffix}.png"), FullPage = true });
        await page.Locator("[data-testid=no-results]").GetByRole(AriaRole.Button, new() { Name = "Clear filters" }).ClickAsync();
        await Assertions.Expect(Rows(page, "model-table")).ToHaveCountAsync(24);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/models$"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Sorting_the_directory_is_kept_in_the_url_and_a_row_opens_the_release_on_the_company_timeline()
    {
        var page = await OpenAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/models");
        await Assertions.Expect(Rows(page, "model-table")).ToHaveCountAsync(24);
        await page.Locator("[data-testid=model-table] thead").GetByText("Model", new() { Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/models\\?sort=name$"));
        await Assertions.Expect(Rows(page, "model-table").First.Locator("[data-testid=model-link]")).ToHaveTextAsync(new Regex("^Baichuan"));

        await BrowserFixture.GotoInteractiveAsync(page, "/models?company=deepseek");
        var r1 = page.GetByRole(AriaRole.Link, new() { Name = "DeepSeek-R1 on the DeepSeek timeline" });
        await Assertions.Expect(r1).ToHaveAttributeAsync("href", new Regex("^/companies/deepseek#model-\\d+$"));
        var anchor = (await r1.GetAttributeAsync("href"))!.Split('#')[1];
        await r1.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/companies/deepseek#{anchor}$"));
        var entry = page.Locator($"#{anchor}");
        await Assertions.Expect(entry).ToContainTextAsync("DeepSeek-R1");
        await Assertions.Expect(entry).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = Shot("models-to-timeline.png") });
    }
}

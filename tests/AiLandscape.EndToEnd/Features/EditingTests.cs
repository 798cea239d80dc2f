using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.EndToEnd.Features;

/// <summary>Editors add funding rounds in Chromium; analysts see no edit controls; bad input saves nothing.</summary>
[RunsLong(330)]
public class EditingTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    internal static async Task PickAsync(IPage page, string pickerTestId, string text, string option)
    {
        var input = page.Locator($"[data-testid={pickerTestId}]");
        await input.ClickAsync();
        // One input event with the whole text: the picker searches once, after its debounce.
        await input.FillAsync(text);
        var item = page.Locator(".mud-popover-open .mud-list-item", new() { HasText = option }).First;
        await item.ClickAsync();
    }

    [Fact]
    public async Task An_editor_adds_a_round_with_two_investors_one_new_and_a_source_and_finds_it_on_the_profile_and_in_history()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com");
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/deepseek");
        await Assertions.Expect(page.Locator("[data-testid=no-rounds]")).ToBeVisibleAsync();
        await page.Locator("[data-testid=add-round]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/deepseek/rounds/new$"));
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New funding round of DeepSeek" })).ToBeVisibleAsync();

        await page.Locator("[data-testid=announced]").FillAsync("2026-03-02");
        await page.Locator("[data-testid=label]").FillAsync("A轮");
        await page.Locator("[data-testid=amount]").FillAsync("500000000");

        await page.Locator("[data-testid=add-investor]").ClickAsync();
        await PickAsync(page, "investor-0-picker", "Tencent", "Tencent");
        await Assertions.Expect(page.Locator("[data-testid=investor-name]")).ToHaveTextAsync("Tencent");
        await page.Locator("[data-testid=investor-0-lead]").CheckAsync();
        await page.Locator("[data-testid=add-new-investor]").ClickAsync();
        await page.Locator("[data-testid=new-investor-1-name]").FillAsync("Hangzhou AI Fund");
        await page.Locator("[data-testid=new-investor-1-name-zh]").FillAsync("杭州人工智能基金");

        await page.Locator("[data-testid=new-source]").ClickAsync();
        await page.Locator("[data-testid=source-0-url]").FillAsync("https://example.com/deepseek-series-a");
        await page.Locator("[data-testid=source-0-title]").FillAsync("DeepSeek raises US$500M");
        await page.Locator("[data-testid=source-0-publisher]").FillAsync("Example News");
        await page.ScreenshotAsync(new() { Path = Shot("round-form.png"), FullPage = true });
        await BrowserFixture.AssertAccessibleAsync(page); // with investor rows, a new investor and a new source open

        await page.Locator("[data-testid=save]").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/deepseek#round-\\d+$"));
        var table = page.Locator("[data-testid=round-table]");
        await Assertions.Expect(table).ToContainTextAsync("A轮");
        await Assertions.Expect(table.Locator("[data-testid=round-amount]")).ToContainTextAsync("US$500M");
        await Assertions.Expect(table).ToContainTextAsync("Tencent");
        await Assertions.Expect(table).ToContainTextAsync("Hangzhou AI Fund");
        await Assertions.Expect(page.Locator("[data-testid=key-round-count]")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#sources")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("DeepSeek raises US$500M").First).ToBeVisibleAsync();

        await page.Locator("[data-testid=history-panel]").ClickAsync();
        var history = page.Locator("[data-testid=history-table]");
        // One entry for the whole save, in words; its field values behind Details.
        await Assertions.Expect(history.Locator("[data-testid=history-sentence]")).ToHaveTextAsync(
            "Demo Editor added DeepSeek's Series A (A轮) round, 2 Mar 2026, US$500M, 2 investors (1 new), 1 source");
        await history.Locator("[data-testid=history-details]").ClickAsync();
        await Assertions.Expect(history.Locator("[data-testid=history-records]")).ToContainTextAsync("500,000,000");
        await Assertions.Expect(history.Locator("[data-testid=history-records]")).ToContainTextAsync("Investor: Tencent");
        await page.ScreenshotAsync(new() { Path = Shot("round-added-profile.png"), FullPage = true });

        await BrowserFixture.GotoInteractiveAsync(page, "/history?type=FundingRound");
        await Assertions.Expect(page.Locator("[data-testid=history-table] tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=history-revert]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=history-sentence]")).ToContainTextAsync("added DeepSeek's Series A (A轮) round");
        await page.ScreenshotAsync(new() { Path = Shot("history.png"), FullPage = true });
    }

    [Fact]
    public async Task A_negative_amount_shows_the_fields_error_and_saves_nothing()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com");
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/stepfun/rounds/new");
        var before = await RoundCountAsync(page, "stepfun");

        await page.Locator("[data-testid=announced]").FillAsync("2026-02-01");
        await page.Locator("[data-testid=amount]").FillAsync("-5000000");
        await page.Locator("[data-testid=new-source]").ClickAsync();
        await page.Locator("[data-testid=source-0-url]").FillAsync("https://example.com/stepfun");
        await page.Locator("[data-testid=source-0-title]").FillAsync("StepFun round");
        await page.Locator("[data-testid=save]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-testid=form-errors]")).ToContainTextAsync("Nothing was saved");
        await Assertions.Expect(page.Locator(".mud-input-control:has([data-testid=amount])")).ToContainTextAsync("Amount must be zero or more.");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/stepfun/rounds/new$"));
        await page.ScreenshotAsync(new() { Path = Shot("round-form-error.png"), FullPage = true });
        Assert.Equal(before, await RoundCountAsync(page, "stepfun"));
    }

    [Fact]
    public async Task Leaving_a_form_with_unsaved_changes_asks_first()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com", width: 390, height: 844);
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/minimax/rounds/new");
        await page.Locator("[data-testid=announced]").FillAsync("2026-02-01");
        await page.Locator("[data-testid=announced]").BlurAsync();
        await page.ScreenshotAsync(new() { Path = Shot("round-form-narrow.png"), FullPage = true });
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "the round form");

        await page.Locator("[data-testid=cancel]").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Leave without saving?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Stay" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/rounds/new$"));
        await Assertions.Expect(page.Locator("[data-testid=announced]")).ToHaveValueAsync("2026-02-01");

        await page.Locator("[data-testid=cancel]").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/minimax$"));
    }

    [Fact]
    public async Task An_analyst_sees_no_edit_controls_and_cannot_open_a_form()
    {
        var page = await fixture.LoggedInPageAsync("analyst@example.com");
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/moonshot-ai");
        await Assertions.Expect(page.Locator("[data-testid=round-table]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=editor-actions]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=edit-link]")).ToHaveCountAsync(0);
        await page.Locator("[data-testid=history-panel]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=history-table]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=history-revert]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "New company" })).ToHaveCountAsync(0);

        await page.GotoAsync("/companies/moonshot-ai/rounds/new");
        await Assertions.Expect(page.Locator("[data-testid=edit-form]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Access denied" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task An_anonymous_visitor_is_sent_to_log_in_by_an_edit_form()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/moonshot-ai");
        await Assertions.Expect(page.Locator("[data-testid=editor-actions]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=history-panel]")).ToHaveCountAsync(0);
        await page.GotoAsync("/companies/moonshot-ai/rounds/new");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?returnUrl="));
    }

    /// <summary>
    /// Every page an editor works on: each form (new and edit), the lists of editable records, the round label table,
    /// disputes, history, the import and their account's pages. Records are picked from the seeded database.
    /// </summary>
    private async Task<List<(string Path, string Name)>> EditorPagesAsync()
    {
        await using var db = TestPostgres.ContextFactory(fixture.ConnectionString).CreateDbContext();
        var round = await db.FundingRounds.MinAsync(x => x.Id);
        var valuation = await db.ValuationPoints.MinAsync(x => x.Id);
        var companyEvent = await db.CompanyEvents.MinAsync(x => x.Id);
        var model = await db.ModelReleases.MinAsync(x => x.Id);
        var source = await db.Sources.MinAsync(x => x.Id);
        var rate = await db.ExchangeRates.MinAsync(x => x.Id);
        var label = await db.RoundLabelMappings.MinAsync(x => x.Id);
        return
        [
            ("/companies/new", "company-new"),
            ("/companies/zhipu-ai/edit", "company-edit"),
            ("/companies/stepfun/rounds/new", "round-new"),
            ($"/rounds/{round}/edit", "round-edit"),
            ("/investors/new", "investor-new"),
            ("/investors/tencent/edit", "investor-edit"),
            ("/companies/moonshot-ai/valuations/new", "valuation-new"),
            ($"/valuations/{valuation}/edit", "valuation-edit"),
            ("/companies/deepseek/events/new", "event-new"),
            ($"/events/{companyEvent}/edit", "event-edit"),
            ("/companies/deepseek/models/new", "model-new"),
            ($"/models/{model}/edit", "model-edit"),
            ("/people/new?company=moonshot-ai", "person-new"),
            ("/people/kai-fu-lee/edit", "person-edit"),
            ("/sources", "sources"),
            ("/sources/new", "source-new"),
            ($"/sources/{source}/edit", "source-edit"),
            ("/exchange-rates", "exchange-rates"),
            ("/exchange-rates/new", "exchange-rate-new"),
            ($"/exchange-rates/{rate}/edit", "exchange-rate-edit"),
            ("/round-labels/new", "round-label-new"),
            ($"/round-labels/{label}/edit", "round-label-edit"),
            ("/disputes", "disputes-editor"),
            ("/import/rounds", "import"),
            ("/history", "history-page"),
            ("/account/tokens", "api-tokens"),
            ("/account/change-password", "change-password"),
        ];
    }

    /// <summary>
    /// Each editor page on a desktop and on a phone: it renders without a script error, fits the window, and axe finds no
    /// serious problem. One signed-in page per width visits them all (a sign-in per page cost more than the checks).
    /// </summary>
    [Theory]
    [InlineData(1366, 900, "wide")]
    [InlineData(390, 844, "narrow")]
    public async Task Every_editor_page_renders_fits_and_passes_axe(int width, int height, string suffix)
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com", width: width, height: height);
        var errors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") { errors.Add(m.Text); } };
        page.PageError += (_, e) => errors.Add(e);
        var failures = new List<string>();
        foreach (var (path, name) in await EditorPagesAsync())
        {
            errors.Clear();
            try
            {
                if (path.StartsWith("/account/change-password", StringComparison.Ordinal))
                {
                    await page.GotoAsync(path); // static server rendering: no circuit to wait for
                }
                else
                {
                    await BrowserFixture.GotoInteractiveAsync(page, path);
                }
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
                await Assertions.Expect(page.Locator(".mud-table-loading-progress, [data-testid=loading]")).ToHaveCountAsync(0);
                await page.ScreenshotAsync(new() { Path = Shot($"edit-{name}-{suffix}.png"), FullPage = true });
                await BrowserFixture.AssertNoSidewaysScrollAsync(page, path);
                await BrowserFixture.AssertAccessibleAsync(page);
                Assert.Empty(errors);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures.Add($"{path} at {width}px: {e.Message}");
            }
        }
        await page.Context.CloseAsync();
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private async Task<int> RoundCountAsync(IPage page, string slug)
    {
        await using var db = TestPostgres.ContextFactory(fixture.ConnectionString).CreateDbContext();
        _ = page;
        return db.FundingRounds.Count(r => r.Company.Slug == slug);
    }
}

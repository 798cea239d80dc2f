using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

/// <summary>The round label table in Chromium: editors add a label, the round form then fills the stage from it.</summary>
[RunsLong(80)]
public class RoundLabelPagesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name)
    {
        var dir = Environment.GetEnvironmentVariable("LABEL_SHOTS") ?? Path.Combine(BrowserFixture.ScreenshotDirectory, "labels");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    [Fact]
    public async Task An_editor_adds_a_label_and_the_round_form_takes_its_stage_from_it()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com");
        await BrowserFixture.GotoInteractiveAsync(page, "/round-labels");
        await page.Locator("[data-testid=new-label]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/round-labels/new$"));
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true");

        await page.Locator("[data-testid=label-text]").FillAsync("B++轮");
        await page.Locator(".mud-input-control:has([data-testid=label-stage])").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "Series B" }).First.ClickAsync();
        // The choice reaches the form asynchronously: wait until the select shows it, or Save may run without a stage.
        await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Stage" })).ToContainTextAsync("Series B");
        await page.Locator("[data-testid=label-notes]").FillAsync("A second extension of series B: same stage.");
        await page.Locator("[data-testid=save]").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/round-labels$"));
        await page.Locator("[data-testid=label-search]").FillAsync("B++");
        var table = page.Locator("[data-testid=label-table]");
        await Assertions.Expect(table).ToContainTextAsync("B++轮");
        await Assertions.Expect(table).ToContainTextAsync("Series B");

        await BrowserFixture.GotoInteractiveAsync(page, "/companies/deepseek/rounds/new");
        await page.Locator("[data-testid=announced]").FillAsync("2026-02-01");
        await page.Locator("[data-testid=label]").FillAsync("Ｂ++轮"); // full-width: the same label
        await Assertions.Expect(page.Locator("[data-testid=label-hint]")).ToContainTextAsync("Stage from the label table: Series B");
        await page.Locator("[data-testid=amount]").FillAsync("200000000");
        await page.Locator("[data-testid=new-source]").ClickAsync();
        await page.Locator("[data-testid=source-0-url]").FillAsync("https://example.com/deepseek-b-plus-plus");
        await page.Locator("[data-testid=source-0-title]").FillAsync("DeepSeek B++");
        await page.ScreenshotAsync(new() { Path = Shot("round-form-label-hint.png"), FullPage = true });
        await page.Locator("[data-testid=save]").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/deepseek#round-\\d+$"));
        await page.Locator("[data-testid=history-panel]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=history-sentence]")).ToContainTextAsync("Demo Editor added DeepSeek's Series B");
    }

    [Fact]
    public async Task An_unknown_label_points_the_editor_to_the_label_table()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com", width: 390, height: 844);
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/minimax/rounds/new");
        await page.Locator("[data-testid=label]").FillAsync("Series Z");
        var hint = page.Locator("[data-testid=label-hint]");
        await Assertions.Expect(hint).ToContainTextAsync("is not in the round label table");
        await Assertions.Expect(hint.GetByRole(AriaRole.Link, new() { Name = "round label table" })).ToHaveAttributeAsync("href", "/round-labels");
        await page.ScreenshotAsync(new() { Path = Shot("round-form-unknown-label-narrow.png") });
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "the round form with a label hint");
    }

    [Theory]
    [InlineData("analyst@example.com", 1366)]
    [InlineData("editor@example.com", 1366)]
    [InlineData("editor@example.com", 390)]
    public async Task The_label_table_reads_well_wide_and_on_a_phone_and_is_accessible(string user, int width)
    {
        var page = await fixture.LoggedInPageAsync(user, width: width, height: 900);
        await BrowserFixture.GotoInteractiveAsync(page, "/round-labels");
        var table = page.Locator("[data-testid=label-table]");
        await Assertions.Expect(table).ToContainTextAsync("天使轮");
        await Assertions.Expect(table).ToContainTextAsync("战略投资");
        var editor = user.StartsWith("editor", StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=new-label]")).ToHaveCountAsync(editor ? 1 : 0);
        await Assertions.Expect(page.Locator("[data-testid=edit-label]")).ToHaveCountAsync(editor ? 50 : 0);
        await page.ScreenshotAsync(new() { Path = Shot($"round-labels-{user.Split('@')[0]}-{width}.png") });
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "/round-labels");
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    [Fact]
    public async Task A_profile_shows_its_coverage_and_lists_the_weakly_sourced_figures_on_demand()
    {
        var page = await fixture.LoggedInPageAsync("analyst@example.com");
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/zhipu-ai");
        var coverage = page.Locator("[data-testid=coverage]");
        await Assertions.Expect(coverage.Locator("[data-testid=coverage-summary]"))
            .ToHaveTextAsync(new Regex(@"Coverage: \d+ of \d+ figures \(\d+%\) backed by a filing, announcement or news agency"));
        await Assertions.Expect(coverage.Locator("[data-testid=coverage-weak]")).ToHaveCountAsync(0);
        await coverage.Locator("[data-testid=coverage-weak-panel]").ClickAsync();
        await Assertions.Expect(coverage.Locator("[data-testid=coverage-weak] li").First).ToBeVisibleAsync();
        await coverage.ScreenshotAsync(new() { Path = Shot("profile-coverage.png") });
        // Sources next to figures name their kind, strongest first.
        await Assertions.Expect(page.Locator("[data-testid=round-table] [data-testid=source-kind]").First).ToBeVisibleAsync();
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.Locator("[data-testid=round-table]").ScreenshotAsync(new() { Path = Shot("profile-zhipu-rounds.png") });
    }
}

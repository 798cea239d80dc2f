using System.Text.RegularExpressions;
using AiLandscape.Web.Data;

namespace AiLandscape.EndToEnd.Features;

/// <summary>
/// The round form as an editor meets it: amounts typed in words are read and shown back in words, a rule broken
/// shows its error until the field is fixed (not until the next save), and a failed save on a phone brings the
/// error summary into view.
/// </summary>
public class RoundFormTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    private static ILocator FieldOf(IPage page, string testId) => page.Locator($".mud-input-control:has([data-testid={testId}])");

    [Fact]
    public async Task An_editor_types_an_amount_in_words_fixes_a_future_date_and_saves_with_a_source_of_a_chosen_kind()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com");
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/deepseek/rounds/new");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "New funding round of DeepSeek" })).ToBeVisibleAsync();

        await page.Locator("[data-testid=announced]").FillAsync("2099-03-02");
        await page.Locator("[data-testid=label]").FillAsync("A轮");

        // A typo keeps the text and says what the field expects.
        var amount = page.Locator("[data-testid=amount]");
        await amount.FillAsync("1.5 bilion");
        await amount.BlurAsync();
        await Assertions.Expect(FieldOf(page, "amount")).ToContainTextAsync("“1.5 bilion” is not an amount");
        await Assertions.Expect(FieldOf(page, "amount")).ToContainTextAsync("1.5 billion");
        await Assertions.Expect(amount).ToHaveValueAsync("1.5 bilion");

        await amount.FillAsync("1.5 billion");
        await Assertions.Expect(FieldOf(page, "amount")).ToContainTextAsync("US$1,500,000,000 = US$1.5 billion");
        await Assertions.Expect(FieldOf(page, "amount")).Not.ToContainTextAsync("is not an amount");

        await page.Locator("[data-testid=new-source]").ClickAsync();
        await page.Locator("[data-testid=source-0-url]").FillAsync("https://example.com/deepseek-raises-1-5-billion");
        await page.Locator("[data-testid=source-0-title]").FillAsync("DeepSeek raises US$1.5 billion");
        await page.Locator("[data-testid=source-0-kind]").ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = "company announcement" }).ClickAsync();
        await page.Locator("[data-testid=source-0-language]").FillAsync("zh");
        await page.Locator("[data-testid=notes]").FillAsync("Terms as in the company's announcement; the lead was not named.");

        await page.Locator("[data-testid=save]").ClickAsync();
        var summary = page.Locator("[data-testid=form-errors]");
        await Assertions.Expect(summary).ToContainTextAsync("Announced must not be in the future.");
        await Assertions.Expect(FieldOf(page, "announced")).ToContainTextAsync("must not be in the future");
        // The amount read from words is not "required" any more.
        await Assertions.Expect(summary).Not.ToContainTextAsync("Amount");

        // Fixing the date takes its error away at once, with the summary it was the only line of.
        await page.Locator("[data-testid=announced]").FillAsync("2026-03-02");
        await page.Locator("[data-testid=announced]").BlurAsync();
        await Assertions.Expect(FieldOf(page, "announced")).Not.ToContainTextAsync("must not be in the future");
        await Assertions.Expect(summary).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Shot("round-form-amount-words-wide.png"), FullPage = true });

        await page.Locator("[data-testid=save]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/deepseek#round-\\d+$"));
        var table = page.Locator("[data-testid=round-table]");
        await Assertions.Expect(table.Locator("[data-testid=round-amount]")).ToContainTextAsync("US$1.5B");
        await Assertions.Expect(table.Locator("[data-testid=round-label]")).ToHaveTextAsync("A轮");
        await Assertions.Expect(table).ToContainTextAsync("Series A");

        // The round's notes are on the profile, folded under the round.
        var notes = table.Locator("[data-testid=round-notes]");
        await notes.Locator("summary").ClickAsync();
        await Assertions.Expect(notes).ToContainTextAsync("the lead was not named");
        await table.ScreenshotAsync(new() { Path = Shot("profile-round-notes-wide.png") });

        await using var db = TestPostgres.ContextFactory(fixture.ConnectionString).CreateDbContext();
        var source = db.Sources.Single(s => s.Url == "https://example.com/deepseek-raises-1-5-billion");
        Assert.Equal(SourceKind.CompanyAnnouncement, source.Kind);
        Assert.Equal("zh", source.Language);
        var round = db.FundingRounds.Single(r => r.Company.Slug == "deepseek");
        Assert.Equal(1_500_000_000m, round.Amount);
        Assert.Equal("USD", round.Currency);
    }

    [Fact]
    public async Task On_a_phone_a_yuan_amount_reads_in_both_ways_and_a_failed_save_brings_the_summary_into_view()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com", width: 390, height: 844);
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/minimax/rounds/new");

        var amount = page.Locator("[data-testid=amount]");
        await amount.FillAsync("¥15亿");
        await Assertions.Expect(FieldOf(page, "amount")).ToContainTextAsync("¥1,500,000,000 = ¥1.5 billion = ¥15亿");
        await Assertions.Expect(amount).ToHaveValueAsync("¥15亿");
        await amount.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Shot("round-form-amount-words-narrow.png") });

        // No date, no stage, no source: Save at the bottom of the long form fails.
        await page.Locator("[data-testid=save]").ClickAsync();
        var summary = page.Locator("[data-testid=form-errors]");
        await Assertions.Expect(summary).ToContainTextAsync("Nothing was saved");
        await Assertions.Expect(summary).ToBeInViewportAsync();
        await page.ScreenshotAsync(new() { Path = Shot("round-form-failed-save-narrow.png") });
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "the round form after a failed save");
        await BrowserFixture.AssertAccessibleAsync(page); // the error summary and the fields' errors on a phone

        // The profile's funding history on a phone: the notes fold under their round.
        await page.Locator("[data-testid=cancel]").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Leave" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/minimax$"));
        var notes = page.Locator("[data-testid=round-table] [data-testid=round-notes]").First;
        await notes.Locator("summary").ClickAsync();
        await Assertions.Expect(notes.Locator("p")).ToBeVisibleAsync();
        await notes.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Shot("profile-round-notes-narrow.png") });
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "the profile with a round's notes open");
    }

    [Fact]
    public async Task The_valuation_form_reads_amounts_the_same_way()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com");
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/moonshot-ai/valuations/new");

        await page.Locator("[data-testid=amount]").FillAsync("RMB 30 billion");

        await Assertions.Expect(FieldOf(page, "amount")).ToContainTextAsync("¥30,000,000,000 = ¥30 billion = ¥300亿");
        await Assertions.Expect(page.Locator(".mud-input-control:has([data-testid=currency])")).ToContainTextAsync("CNY");
    }
}

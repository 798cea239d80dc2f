using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.EndToEnd.Features;

/// <summary>
/// The history in Chromium: a saved round is one entry in words on /history and on the company's History tab,
/// expandable to its field values, with links to the records it touched and one Revert that undoes the whole save.
/// </summary>
public class HistoryTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    private const string Sentence = "Demo Editor added StepFun's Series C round, 26 Jan 2026, US$5B, 2 investors, 1 source";

    [Fact]
    public async Task A_saved_round_is_one_entry_in_words_that_expands_links_to_its_records_and_reverts_as_a_whole()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com");
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/stepfun/rounds/new");
        await page.Locator("[data-testid=announced]").FillAsync("2026-01-26");
        await page.Locator("[data-testid=label]").FillAsync("Series C");
        await page.Locator("[data-testid=amount]").FillAsync("5000000000");
        await page.Locator("[data-testid=add-investor]").ClickAsync();
        await EditingTests.PickAsync(page, "investor-0-picker", "Tencent", "Tencent");
        await page.Locator("[data-testid=investor-0-lead]").CheckAsync();
        await page.Locator("[data-testid=add-investor]").ClickAsync();
        await EditingTests.PickAsync(page, "investor-1-picker", "Alibaba", "Alibaba");
        await page.Locator("[data-testid=new-source]").ClickAsync();
        await page.Locator("[data-testid=source-0-url]").FillAsync("https://example.com/stepfun-series-c");
        await page.Locator("[data-testid=source-0-title]").FillAsync("StepFun raises US$5B");
        await page.Locator("[data-testid=save]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/stepfun#round-\\d+$"));

        // /history: one entry for the save, one Revert.
        await BrowserFixture.GotoInteractiveAsync(page, "/history");
        var table = page.Locator("[data-testid=history-table]");
        var entry = table.Locator("tbody tr", new() { Has = page.Locator("[data-testid=history-sentence]", new() { HasText = Sentence }) });
        await Assertions.Expect(entry).ToHaveCountAsync(1);
        await Assertions.Expect(entry.Locator("[data-testid=history-revert]")).ToHaveCountAsync(1);
        await Assertions.Expect(table).Not.ToContainTextAsync("id:");

        // Details: each record with its fields in words, ids as names.
        await entry.Locator("[data-testid=history-details]").ClickAsync();
        await Assertions.Expect(entry.Locator("[data-testid=history-details]")).ToHaveAttributeAsync("aria-expanded", "true");
        var records = table.Locator("[data-testid=history-records]");
        await Assertions.Expect(records).ToContainTextAsync("Investor: Tencent");
        await Assertions.Expect(records).ToContainTextAsync("Lead investor: yes");
        await Assertions.Expect(records).ToContainTextAsync("Amount: 5,000,000,000");
        await page.ScreenshotAsync(new() { Path = Shot("history-expanded-wide.png"), FullPage = true });
        await BrowserFixture.AssertAccessibleAsync(page);

        // A link to the round's row on the company profile.
        await entry.Locator("[data-testid=history-links]").GetByRole(AriaRole.Link, new() { Name = "StepFun's Series C round" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/stepfun#round-\\d+$"));
        await Assertions.Expect(page.Locator("[data-testid=round-table]")).ToContainTextAsync("Tencent");

        // The company's History tab, on a phone: the same entry; its investor link opens the investor.
        var phone = await fixture.LoggedInPageAsync("editor@example.com", width: 390, height: 844);
        await BrowserFixture.GotoInteractiveAsync(phone, "/companies/stepfun");
        await phone.Locator("[data-testid=history-panel]").ClickAsync();
        var tab = phone.Locator("[data-testid=history-table]");
        await Assertions.Expect(tab.Locator("[data-testid=history-sentence]").First).ToHaveTextAsync(Sentence);
        // The sentence reads from the left under its label (the phone's stacked cells right-align figures).
        Assert.Equal("start", await tab.Locator("[data-testid=history-entry]").First.EvaluateAsync<string>("e => getComputedStyle(e).textAlign"));
        await tab.Locator("[data-testid=history-details]").First.ClickAsync();
        await Assertions.Expect(tab.Locator("[data-testid=history-records]")).ToContainTextAsync("Investor: Alibaba");
        await tab.Locator("[data-testid=history-records]").ScrollIntoViewIfNeededAsync();
        await tab.ScreenshotAsync(new() { Path = Shot("history-expanded-narrow.png") });
        await BrowserFixture.AssertNoSidewaysScrollAsync(phone, "the company's History tab with an entry open");
        await BrowserFixture.AssertAccessibleAsync(phone);
        await tab.Locator("[data-testid=history-links]").First.GetByRole(AriaRole.Link, new() { Name = "Tencent", Exact = true }).ClickAsync();
        await Assertions.Expect(phone).ToHaveURLAsync(new Regex("/investors/tencent$"));
        await phone.Context.CloseAsync();

        // One Revert undoes the round, its investors and its source.
        await BrowserFixture.GotoInteractiveAsync(page, "/history");
        await entry.Locator("[data-testid=history-revert]").ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revert" }).ClickAsync();
        await Assertions.Expect(table.Locator("[data-testid=history-sentence]").First).ToContainTextAsync("Demo Editor reverted an earlier change");
        await Assertions.Expect(entry.Locator("[data-testid=history-reverted]")).ToBeVisibleAsync();
        await Assertions.Expect(entry.Locator("[data-testid=history-revert]")).ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Shot("history-reverted-wide.png"), FullPage = true });
        await using var db = TestPostgres.ContextFactory(fixture.ConnectionString).CreateDbContext();
        Assert.False(await db.Sources.AnyAsync(s => s.Url == "https://example.com/stepfun-series-c"));
        Assert.False(await db.FundingRounds.AnyAsync(r => r.Company.Slug == "stepfun" && r.LabelAsAnnounced == "Series C" && r.AnnouncedOn == new DateOnly(2026, 1, 26)));
    }
}

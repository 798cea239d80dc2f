using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

/// <summary>Issue 18 in a browser: unverified values marked, only real conflicts listed, statements shown.</summary>
public class DataTruthTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    [Fact]
    public async Task The_01_AI_profile_marks_the_PitchBook_total_unverified_and_its_headline_stays_undisclosed()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/01-ai");
        var card = page.Locator("[data-testid=key-total-raised]");
        await Assertions.Expect(card.Locator("h6")).ToHaveTextAsync(new Regex("^Undisclosed"));
        await Assertions.Expect(card.Locator("h6")).Not.ToContainTextAsync("200");
        var reported = card.Locator("[data-testid=reported-total] [data-testid=reported]");
        await Assertions.Expect(reported).ToHaveTextAsync("US$200M (PitchBook, unverified)");

        await BrowserFixture.AssertAccessibleAsync(page);

        // The reason comes on hover.
        await reported.Locator("[data-testid=unverified]").HoverAsync();
        await Assertions.Expect(page.Locator(".mud-tooltip").Filter(new() { HasText = "PitchBook itself is not stored" })).ToBeVisibleAsync();

        // The article's founding year, the losing side of its dispute, is marked unverified too.
        await Assertions.Expect(page.Locator("[data-testid=founded]")).ToContainTextAsync("2022 (unverified)");

        await Assertions.Expect(page.Locator("[data-testid=what-sources-say]")).ToContainTextAsync("no new funding round and no IPO plan");
        await page.ScreenshotAsync(new() { Path = Shot("company-01-ai-data-truth.png"), FullPage = true });
    }

    [Fact]
    public async Task The_MiniMax_profile_shows_the_upsized_IPO_as_a_second_fact_and_what_sources_say()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/minimax");
        var ipo = page.Locator("[data-testid=round-table] tbody tr").Filter(new() { HasText = "HKEX IPO" });
        await Assertions.Expect(ipo.Locator("[data-testid=round-amount]")).ToContainTextAsync("HK$4.19B");
        await Assertions.Expect(ipo.Locator("[data-testid=over-allotment]")).ToContainTextAsync("HK$4.8B with the over-allotment");
        await Assertions.Expect(ipo.Locator("[data-testid=round-amount] [data-testid=disputed]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=what-sources-say]")).ToContainTextAsync("net loss US$465M");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("company-minimax-data-truth.png"), FullPage = true });
    }

    [Fact]
    public async Task Moonshots_profile_marks_which_round_is_called_series_b_and_alibabas_stake_as_disputed()
    {
        var page = await fixture.NewPageAsync();
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/moonshot-ai");
        var seriesB = page.Locator("[data-testid=other-disputed-fact]").Filter(new() { HasText = "Round called Series B" });
        // Both values, strongest source first.
        await Assertions.Expect(seriesB).ToContainTextAsync("Aug 2024 round or Feb 2024 round");
        await Assertions.Expect(seriesB.Locator("[data-testid=disputed]")).ToBeVisibleAsync();
        var feb = page.Locator("[data-testid=round-table] tbody tr").Filter(new() { HasText = "Alibaba" }).Filter(new() { HasText = "stake" });
        await Assertions.Expect(feb).ToContainTextAsync(new Regex(@"Alibaba \(stake ~(36|40)% or ~(40|36)%\) disputed"));
        await Assertions.Expect(feb.Locator("[data-testid=disputed]")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Shot("company-moonshot-data-truth.png"), FullPage = true });
    }

    [Fact]
    public async Task Disputes_no_longer_lists_the_MiniMax_IPO_or_the_Yi_licence_and_editors_can_list_unverified_values()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com");
        await BrowserFixture.GotoInteractiveAsync(page, "/disputes?status=all");
        var disputes = page.Locator("[data-testid=dispute]");
        await Assertions.Expect(disputes.Filter(new() { HasText = "DeepSeek-V3" })).ToHaveCountAsync(1); // a real conflict stays
        await Assertions.Expect(disputes.Filter(new() { HasText = "Yi-6B" })).ToHaveCountAsync(0);
        await Assertions.Expect(disputes.Filter(new() { HasText = "HK$4.8B" })).ToHaveCountAsync(0);
        await Assertions.Expect(disputes.Filter(new() { HasText = "Series B is" })).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "Unverified values" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/disputes/unverified$"));
        await Assertions.Expect(page.Locator("[data-testid=unverified-item]").Filter(new() { HasText = "US$200M (PitchBook, unverified)" }))
            .ToHaveCountAsync(1);
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("disputes-unverified.png"), FullPage = true });
    }
}

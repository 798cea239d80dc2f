namespace AiLandscape.EndToEnd.Features;

/// <summary>An editor resolves a disputed figure on /disputes and the company profile follows; everyone else reads it.</summary>
public class DisputesTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string ShotDirectory = "/tmp/shots-disputes";

    private static string Shot(string name)
    {
        Directory.CreateDirectory(ShotDirectory);
        return Path.Combine(ShotDirectory, name);
    }

    [Fact]
    public async Task An_editor_accepts_a_value_with_a_reason_and_the_profile_shows_it_resolved()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com");
        await BrowserFixture.GotoInteractiveAsync(page, "/disputes?status=open");
        // Baichuan's Oct 2023 valuation (its round's post-money is disputed the same way: pick by record type).
        var dispute = page.Locator("[data-testid=dispute][data-key^=ValuationPoint-]", new() { HasText = "Baichuan" });
        await Assertions.Expect(dispute).ToContainTextAsync("百川智能");
        await Assertions.Expect(dispute.Locator("[data-testid=current-value]")).ToHaveTextAsync(">US$1B");
        await page.ScreenshotAsync(new() { Path = Shot("disputes-wide.png") });

        await dispute.Locator("[data-testid=reported-value]", new() { HasText = "US$1.2B" })
            .Filter(new() { HasNotText = ">US$1B" }).Locator("[data-testid=accept]").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        // The amount reads as people write it, grouped, and takes "1.2 billion" as typed (it was a bare 1200000000).
        var amount = dialog.Locator("[data-testid=resolve-amount]");
        await Assertions.Expect(amount).ToHaveValueAsync("1,200,000,000");
        await amount.FillAsync("1.2 billion");
        await Assertions.Expect(dialog).ToContainTextAsync("US$1,200,000,000 = US$1.2 billion");
        await dialog.Locator("[data-testid=resolve-save]").ClickAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("Reason is required");
        await dialog.Locator("[data-testid=resolve-reason]").FillAsync("A3 reports the round's closing valuation");
        await Assertions.Expect(dialog).Not.ToContainTextAsync("Reason is required");
        await page.ScreenshotAsync(new() { Path = Shot("disputes-dialog.png") });
        await dialog.Locator("[data-testid=resolve-save]").ClickAsync();
        await Assertions.Expect(dialog).ToHaveCountAsync(0);

        // Resolved, it leaves the open list and appears under Resolved with the reason.
        await Assertions.Expect(page.Locator("[data-testid=dispute][data-key^=ValuationPoint-]", new() { HasText = "Baichuan" })).ToHaveCountAsync(0);
        await BrowserFixture.GotoInteractiveAsync(page, "/disputes?status=resolved");
        var resolved = page.Locator("[data-testid=dispute][data-key^=ValuationPoint-]", new() { HasText = "Baichuan" });
        await Assertions.Expect(resolved.Locator("[data-testid=resolution]")).ToContainTextAsync("A3 reports the round's closing valuation");
        await Assertions.Expect(resolved.Locator("[data-testid=current-value]")).ToHaveTextAsync("US$1.2B");

        await BrowserFixture.GotoInteractiveAsync(page, "/companies/baichuan");
        var row = page.Locator("[data-testid=valuation-table] tr", new() { HasText = "Oct 2023" });
        await Assertions.Expect(row).ToContainTextAsync("US$1.2B");
        await Assertions.Expect(row.Locator("[data-testid=resolved]")).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("[data-testid=disputed]")).ToHaveCountAsync(0);
        await Assertions.Expect(row.Locator("[data-testid=resolved]")).ToContainTextAsync("A3 reports the round's closing valuation");
        await row.Locator(".resolved-badge").HoverAsync();
        await Assertions.Expect(page.GetByText("Also reported: >US$1B").First).ToBeVisibleAsync();
        await row.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new() { Path = Shot("profile-resolved.png") });
    }

    [Fact]
    public async Task The_disputes_page_fits_a_phone_and_is_accessible()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com", width: 390, height: 844);
        await BrowserFixture.GotoInteractiveAsync(page, "/disputes");
        await Assertions.Expect(page.Locator("[data-testid=dispute]").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("月之暗面").First).ToBeVisibleAsync();
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "/disputes");
        await page.ScreenshotAsync(new() { Path = Shot("disputes-narrow.png") });
        await BrowserFixture.AssertAccessibleAsync(page);

        await page.Locator("[data-testid=accept]").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await BrowserFixture.AssertNoSidewaysScrollAsync(page, "the resolve dialog");
        await page.ScreenshotAsync(new() { Path = Shot("disputes-dialog-narrow.png") });
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    [Theory]
    [InlineData("analyst@example.com")]
    [InlineData(null)]
    public async Task Analysts_and_anonymous_readers_read_the_disputes_but_get_no_accept_button(string? email)
    {
        var page = email is null ? await fixture.NewPageAsync() : await fixture.LoggedInPageAsync(email);
        await BrowserFixture.GotoInteractiveAsync(page, "/disputes");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/disputes$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Disputed figures");
        // Every open dispute with at least two values and their sources (the editor's test may resolve one meanwhile).
        var first = page.Locator("[data-testid=dispute]").First;
        await Assertions.Expect(first).ToBeVisibleAsync();
        Assert.True(await first.Locator("[data-testid=reported-value]").CountAsync() >= 2);
        await Assertions.Expect(first.Locator(".reported-sources li").First).ToBeVisibleAsync();
        // Resolving stays with editors: no button here, and DisputeService refuses (DisputeServiceTests).
        await Assertions.Expect(page.Locator("[data-testid=accept]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByText("An editor accepts one value with a reason")).ToBeVisibleAsync();
    }
}

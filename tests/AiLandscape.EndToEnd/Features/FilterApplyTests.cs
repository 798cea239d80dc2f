using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

/// <summary>
/// Every kind of filter field on the list pages applies when the user presses Enter, without leaving the field:
/// a typed date, a text, a number. (Selects apply on pick; RoundsPageTests covers them.)
/// </summary>
public class FilterApplyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const float Patience = 30_000;

    private async Task<IPage> OpenAsync(string url, int width = 1366, int height = 900)
    {
        var page = await fixture.NewPageAsync(width, height);
        page.SetDefaultTimeout(Patience);
        page.SetDefaultNavigationTimeout(2 * Patience);
        await BrowserFixture.GotoInteractiveAsync(page, url);
        return page;
    }

    private static ILocator RoundRows(IPage page) => page.Locator("[data-testid=round-table] tbody tr.mud-table-row");

    private static Task HasUrl(IPage page, Regex url) =>
        Assertions.Expect(page).ToHaveURLAsync(url, new() { Timeout = Patience });

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task A_to_date_typed_with_Enter_on_rounds_drops_later_rounds_while_the_field_keeps_focus(int width)
    {
        var page = await OpenAsync("/rounds", width, 844);
        await Assertions.Expect(page.GetByTestId("round-count")).ToHaveTextAsync(new Regex("^27 rounds"), new() { Timeout = Patience });
        await OpenFiltersAsync(page);

        var to = page.GetByLabel("Announced to");
        await to.PressSequentiallyAsync("2025-12-31");
        await to.PressAsync("Enter");

        await HasUrl(page, new Regex(@"/rounds\?to=2025-12-31$"));
        await Assertions.Expect(page.GetByTestId("round-count")).Not.ToHaveTextAsync(new Regex("^27 rounds"), new() { Timeout = Patience });
        await Assertions.Expect(RoundRows(page).Filter(new() { HasText = "2026" })).ToHaveCountAsync(0, new() { Timeout = Patience });
        await Assertions.Expect(to).ToBeFocusedAsync();
        await Assertions.Expect(to).ToHaveValueAsync("2025-12-31");

        // A year alone means its last day; a wrong date keeps its text, says what is expected and changes nothing.
        await to.FillAsync("2024");
        await to.PressAsync("Enter");
        await HasUrl(page, new Regex(@"/rounds\?to=2024-12-31$"));
        await Assertions.Expect(to).ToHaveValueAsync("2024-12-31");
        await to.FillAsync("31.12.2023");
        await to.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("to-filter")).ToContainTextAsync("yyyy-mm-dd, yyyy-mm or yyyy");
        await Assertions.Expect(to).ToHaveValueAsync("31.12.2023");
        await HasUrl(page, new Regex(@"/rounds\?to=2024-12-31$"));
    }

    [Fact]
    public async Task A_from_date_in_the_address_fills_the_field_and_a_typed_company_applies_on_Enter()
    {
        var page = await OpenAsync("/rounds?from=2025-01-01");
        await Assertions.Expect(page.GetByLabel("Announced from")).ToHaveValueAsync("2025-01-01");
        await Assertions.Expect(RoundRows(page).Filter(new() { HasText = "2023" })).ToHaveCountAsync(0, new() { Timeout = Patience });

        var company = page.GetByTestId("company-filter").Locator("input");
        await company.PressSequentiallyAsync("StepFun");
        await company.PressAsync("Enter");
        await HasUrl(page, new Regex(@"company=StepFun"));
        await Assertions.Expect(RoundRows(page).Filter(new() { HasNotText = "StepFun" })).ToHaveCountAsync(0, new() { Timeout = Patience });
        await Assertions.Expect(company).ToBeFocusedAsync();
    }

    [Fact]
    public async Task A_number_typed_with_Enter_applies_on_rounds_and_on_companies()
    {
        var page = await OpenAsync("/rounds");
        var min = page.GetByTestId("min-filter").Locator("input");
        await min.PressSequentiallyAsync("1000");
        await min.PressAsync("Enter");
        await HasUrl(page, new Regex(@"min=1000"));
        await Assertions.Expect(page.GetByTestId("round-count")).ToHaveTextAsync(new Regex("^[0-9] rounds? · "), new() { Timeout = Patience });

        await BrowserFixture.GotoInteractiveAsync(page, "/companies");
        var founded = page.GetByLabel("Founded from");
        await founded.PressSequentiallyAsync("2023");
        await founded.PressAsync("Enter");
        await HasUrl(page, new Regex(@"from=2023"));
        await Assertions.Expect(page.Locator("[data-testid=company-grid] tbody tr").Filter(new() { HasText = "2019" }))
            .ToHaveCountAsync(0, new() { Timeout = Patience });
    }

    /// <summary>On a phone the filters are folded behind one button (shown only there); wide, they are open.</summary>
    private static async Task OpenFiltersAsync(IPage page)
    {
        var toggle = page.GetByTestId("filters-toggle");
        if (await toggle.IsVisibleAsync() && await toggle.GetAttributeAsync("aria-expanded") == "false")
        {
            await toggle.ClickAsync();
        }
        await Assertions.Expect(page.GetByLabel("Announced to")).ToBeVisibleAsync();
    }
}

using System.Text;
using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

/// <summary>An editor imports rounds from a CSV file in Chromium: preview with one bad row, commit, rounds on the profiles.</summary>
public class ImportTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    private const string Header =
        "company,announced,closed,label,stage,status,disclosure,currency,amount,amount_approximate,amount_min,amount_max,amount_text,"
        + "post_money,post_money_currency,post_money_estimate,lead_investors,investors,unverified,notes,source_url,source_title,"
        + "source_publisher,source_published";

    private static readonly string File = string.Join("\n",
        Header,
        "深度求索,2025-05,,A轮,SeriesA,Completed,Disclosed,USD,300000000,false,,,,,,,Tencent,HongShan,false,,https://example.com/e2e-deepseek-a,DeepSeek raises US$300M,Example News,2025-05",
        "StepFun,2025-Q3,,C轮,SeriesC,Completed,,CNY,abc,,,,,,,,,Tencent,,,https://example.com/e2e-stepfun-c,StepFun raises a Series C,Example News,2025-09",
        "阶跃星辰,2025-10-15,,战略融资,Strategic,Completed,Range,CNY,,,500000000,1000000000,数亿元,,,,,Shanghai state capital fund,,,https://example.com/e2e-stepfun-strategic,StepFun strategic round,Example News,2025-10-15") + "\n";

    [Fact]
    public async Task An_editor_uploads_a_csv_with_one_bad_row_sees_the_error_commits_and_finds_the_rounds_on_the_profiles()
    {
        var page = await fixture.LoggedInPageAsync("editor@example.com");
        await BrowserFixture.GotoInteractiveAsync(page, "/rounds");
        await page.Locator("[data-testid=import-rounds]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/import/rounds$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import funding rounds" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true");

        var rows = page.Locator("[data-testid=import-rows] tbody tr");
        // On a cold app the file input can be interactive before its upload handler is attached (CI lost the first
        // choice once): choose the file again, as a user would, if no preview appeared.
        for (var attempt = 1; ; attempt++)
        {
            await page.Locator("input[type=file]").SetInputFilesAsync(new FilePayload
            {
                Name = "rounds-e2e.csv", MimeType = "text/csv",
                Buffer = [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(File)],
            });
            try
            {
                await Assertions.Expect(rows.First).ToBeVisibleAsync(new() { Timeout = 8000 });
                break;
            }
            catch (PlaywrightException) when (attempt < 3)
            {
            }
        }
        try
        {
            await Assertions.Expect(rows).ToHaveCountAsync(3);
        }
        catch (PlaywrightException)
        {
            await page.ScreenshotAsync(new() { Path = Shot("import-failed.png"), FullPage = true });
            throw;
        }
        await Assertions.Expect(page.Locator("[data-testid=row-status][data-status=Error]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-testid=row-status][data-status=New]")).ToHaveCountAsync(2);
        var error = page.Locator("[data-testid=row-error]");
        await Assertions.Expect(error).ToHaveCountAsync(1);
        await Assertions.Expect(error).ToContainTextAsync("amount");
        await Assertions.Expect(error).ToContainTextAsync("must be a number");
        await Assertions.Expect(page.Locator("[data-testid=commit-import]")).ToHaveTextAsync("Import 2 new rounds");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot("import-preview.png"), FullPage = true });
        await page.SetViewportSizeAsync(390, 844);
        await page.ScreenshotAsync(new() { Path = Shot("import-preview-narrow.png"), FullPage = true });
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.SetViewportSizeAsync(1366, 900);

        await page.Locator("[data-testid=commit-import]").ClickAsync();
        // The import saves both rounds, their investors and sources in one audited change: slow on a loaded CI machine.
        await Assertions.Expect(page.Locator("[data-testid=import-message]")).ToContainTextAsync("Imported 2 rounds from rounds-e2e.csv.", new() { Timeout = 45_000 });
        await Assertions.Expect(page.Locator("[data-testid=import-preview]")).ToHaveCountAsync(0);

        await page.Locator("[data-testid=imported-company]", new() { HasText = "deepseek" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/companies/deepseek$"));
        var table = page.Locator("[data-testid=round-table]");
        await Assertions.Expect(table).ToContainTextAsync("A轮");
        await Assertions.Expect(table.Locator("[data-testid=round-amount]")).ToContainTextAsync("US$300M");
        await Assertions.Expect(table).ToContainTextAsync("Tencent");

        await BrowserFixture.GotoInteractiveAsync(page, "/companies/stepfun");
        await Assertions.Expect(page.Locator("[data-testid=round-table]")).ToContainTextAsync("战略融资");
        await Assertions.Expect(page.Locator("[data-testid=round-table]")).Not.ToContainTextAsync("C轮");
    }
}

namespace AiLandscape.EndToEnd.Features;

/// <summary>
/// axe-core finds no serious or critical problem on any page a reader can open, on a desktop and on a phone. When a
/// public page is added, add it here (the menu test checks that the menu reaches it).
/// </summary>
[RunsLong(310)]
public class AccessibilityTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    /// <summary>Every public page (one profile of each kind), and the one editors' page linked from /disputes.</summary>
    public static TheoryData<string, bool> Pages => new()
    {
        { "/", false },
        { "/companies", false },
        { "/companies/moonshot-ai", false },
        { "/investors", false },
        { "/investors/alibaba", false },
        { "/rounds", false },
        { "/compare", false },
        { "/disputes", false },
        { "/disputes/unverified", true },
        { "/people", false },
        { "/people/kai-fu-lee", false },
        { "/models", false },
        { "/search?q=moonshot", false },
        { "/export", false },
        { "/api/docs/", false },
        { "/account/login", false },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_passes_axe_on_a_desktop_and_a_phone(string path, bool asEditor)
    {
        foreach (var (width, height) in new[] { (1366, 900), (390, 844) })
        {
            var page = asEditor
                ? await fixture.LoggedInPageAsync("editor@example.com", width: width, height: height)
                : await fixture.NewPageAsync(width, height);
            page.SetDefaultTimeout(30_000);
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                // Not a Blazor page: wait for the reference to render its first tag (later ones render as they scroll in).
                await page.GotoAsync(path);
                var document = await (await page.APIRequest.GetAsync("/openapi/v1.json")).JsonAsync();
                var firstTag = document!.Value.GetProperty("tags")[0].GetProperty("description").GetString()!;
                await Assertions.Expect(page.GetByText(firstTag).First).ToBeVisibleAsync(new() { Timeout = 30_000 });
            }
            else if (path == "/account/login")
            {
                await page.GotoAsync(path); // static server rendering: no circuit to wait for
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            }
            else
            {
                await BrowserFixture.GotoInteractiveAsync(page, path);
                await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator(".mud-table-loading-progress, [data-testid=loading]")).ToHaveCountAsync(0);
            }
            try
            {
                await BrowserFixture.AssertAccessibleAsync(page);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await page.ScreenshotAsync(new() { Path = Shot($"axe-failure-{width}{path.Replace('/', '_')}.png"), FullPage = true });
                throw new Xunit.Sdk.XunitException($"{path} at {width}px: {e.Message}");
            }
            await page.Context.CloseAsync();
        }
    }
}

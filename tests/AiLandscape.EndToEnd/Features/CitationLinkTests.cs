using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

/// <summary>
/// Citation markers ([K3], [S7]) are in-page links under &lt;base href="/"&gt;: each must keep the reader on the
/// profile and bring its source into view below the app bar, not open the home page.
/// </summary>
public class CitationLinkTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    [Fact]
    public async Task Every_citation_marker_on_every_company_profile_lands_on_its_source_on_the_same_page()
    {
        var page = await fixture.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await BrowserFixture.GotoInteractiveAsync(page, "/companies");
        var rows = page.Locator("[data-testid=company-grid] tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(7);
        var profiles = await page.Locator("[data-testid=company-grid] tbody tr a[href*='companies/']")
            .EvaluateAllAsync<string[]>("links => [...new Set(links.map(a => new URL(a.href).pathname))]");
        Assert.Equal(7, profiles.Length);

        var checkedMarkers = 0;
        var clicked = 0;
        foreach (var path in profiles)
        {
            await BrowserFixture.GotoInteractiveAsync(page, path);
            var markers = page.Locator("a.source-link");
            await Assertions.Expect(markers.First).ToBeVisibleAsync();
            // Every marker: its link, resolved against <base href="/">, stays on this profile and names a source that
            // is on it. One look at the whole page.
            var wrong = await markers.EvaluateAllAsync<string[]>(
                """
                links => links.map(a => {
                    const url = new URL(a.href);
                    const id = url.hash.slice(1);
                    return url.pathname !== location.pathname || !id.startsWith('source-') || !document.getElementById(id)
                        ? `${a.textContent} -> ${url.pathname}${url.hash}` : null;
                }).filter(x => x)
                """);
            Assert.True(wrong.Length == 0, $"{path}: markers that leave the page or name no source on it: {string.Join(", ", wrong)}");
            var count = await markers.CountAsync();
            checkedMarkers += count;

            // Clicked: the first, a middle and the last visible marker of each profile land on their source below the
            // app bar, on the same page.
            var visible = await markers.EvaluateAllAsync<int[]>("links => links.flatMap((a, i) => a.checkVisibility() ? [i] : [])");
            foreach (var i in new[] { visible[0], visible[visible.Length / 2], visible[^1] }.Distinct())
            {
                var marker = markers.Nth(i);
                var href = await marker.GetAttributeAsync("href") ?? "";
                var target = href[(href.IndexOf('#') + 1)..];
                await marker.ClickAsync();
                await Assertions.Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(path) + "#" + target + "$"));
                var source = page.Locator("#" + target);
                await Assertions.Expect(source).ToHaveCountAsync(1);
                await Assertions.Expect(source).ToBeInViewportAsync();
                // Below the fixed app bar, not hidden under it.
                var top = await source.EvaluateAsync<double>("e => e.getBoundingClientRect().top");
                var bar = await page.Locator("header.mud-appbar").EvaluateAsync<double>("e => e.getBoundingClientRect().bottom");
                Assert.True(top >= bar - 1, $"{path}#{target} lands at {top}px, under the app bar ending at {bar}px");
                clicked++;
            }
            Assert.Equal(path, new Uri(page.Url).AbsolutePath);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        }
        Assert.True(checkedMarkers > 50, $"only {checkedMarkers} citation markers were found");
        Assert.True(clicked >= 15, $"only {clicked} citation markers were clicked");

        await BrowserFixture.GotoInteractiveAsync(page, "/companies/moonshot-ai");
        await page.Locator("a.source-link").First.ClickAsync();
        await page.ScreenshotAsync(new() { Path = Shot("citation-clicked-1366.png") });
        await BrowserFixture.AssertAccessibleAsync(page);
    }
}

using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

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
            await Assertions.Expect(page.Locator("a.source-link").First).ToBeVisibleAsync();
            checkedMarkers += await AssertEveryMarkerNamesASourceOnThePageAsync(page, path);
            clicked += await ClickFirstMiddleAndLastMarkerAsync(page, path);
        }
        Assert.True(checkedMarkers > 50, $"only {checkedMarkers} citation markers were found");
        Assert.True(clicked >= 15, $"only {clicked} citation markers were clicked");

        await BrowserFixture.GotoInteractiveAsync(page, "/companies/moonshot-ai");
        await page.Locator("a.source-link").First.ClickAsync();
        await page.ScreenshotAsync(new() { Path = Shot("citation-clicked-1366.png") });
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    /// <summary>
    /// Investor and person profiles cite their sources with the same markers. Every marker of every seeded investor and
    /// person profile is checked in its first HTML, fetched by the page and resolved as the browser resolves it; on the two
    /// investors and the two people with the most markers, the first, a middle and the last are clicked once the page is
    /// interactive.
    /// </summary>
    [Fact]
    public async Task Every_citation_marker_on_every_investor_and_person_profile_lands_on_its_source_on_the_same_page()
    {
        List<string> investors, people;
        await using (var db = TestPostgres.ContextFactory(fixture.ConnectionString).CreateDbContext())
        {
            investors = await db.Investors.OrderBy(i => i.Slug).Select(i => "/investors/" + i.Slug).ToListAsync();
            people = await db.People.OrderBy(p => p.Slug).Select(p => "/people/" + p.Slug).ToListAsync();
        }
        var page = await fixture.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync("/account/login"); // any page of the app's origin to fetch from; this one has no circuit
        // One request per profile, no rendering: 63 profiles opened in the browser one after the other cost 80 s.
        var result = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            "async paths => {\n" +
            $"    const check = {CheckMarkers};\n" +
            """
                const result = { Wrong: [], Counts: {} };
                for (const path of paths) {
                    const response = await fetch(path);
                    const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
                    const url = new URL(path, location.origin);
                    if (!response.ok || !doc.querySelector('h1')) {
                        result.Wrong.push(`${path}: answered ${response.status} without a heading`);
                    }
                    // What the browser does with the page's links: resolve them against <base href>, itself against the page.
                    const base = new URL(doc.querySelector('base')?.getAttribute('href') ?? '', url);
                    result.Wrong.push(...check(doc, url, base).map(x => `${path}: ${x}`));
                    result.Counts[path] = doc.querySelectorAll('a.source-link').length;
                }
                return result;
            }
            """, investors.Concat(people).ToArray());
        var wrong = result.GetProperty("Wrong").EnumerateArray().Select(x => x.GetString()).ToList();
        // Playwright hands the numbers over as text.
        var counts = result.GetProperty("Counts").EnumerateObject()
            .ToDictionary(x => x.Name, x => int.Parse(x.Value.ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(wrong.Count == 0, "Markers that leave the page or name no source on it:\n" + string.Join("\n", wrong));
        var investorMarkers = investors.Sum(p => counts[p]);
        var personMarkers = people.Sum(p => counts[p]);
        Assert.True(investorMarkers > 50, $"only {investorMarkers} citation markers on {investors.Count} investor profiles");
        Assert.True(personMarkers > 10, $"only {personMarkers} citation markers on {people.Count} person profiles");

        var clicked = 0;
        foreach (var path in new[] { investors, people }.SelectMany(paths => paths.OrderByDescending(p => counts[p]).Take(2)))
        {
            await BrowserFixture.GotoInteractiveAsync(page, path);
            // The circuit renders the markers of the first HTML, and they resolve the same way.
            await Assertions.Expect(page.Locator("a.source-link")).ToHaveCountAsync(counts[path]);
            await AssertEveryMarkerNamesASourceOnThePageAsync(page, path);
            clicked += await ClickFirstMiddleAndLastMarkerAsync(page, path);
        }
        Assert.True(clicked >= 10, $"only {clicked} citation markers were clicked");
    }

    /// <summary>
    /// The markers of a document whose link, resolved against its base, leaves the page or names no source on it, as
    /// "[K3] -> /#source-50": a script function of the document, the page's URL and the base URL.
    /// </summary>
    private const string CheckMarkers =
        """
        (doc, page, base) => [...doc.querySelectorAll('a.source-link')].map(a => {
            const url = new URL(a.getAttribute('href'), base);
            const id = url.hash.slice(1);
            return url.pathname !== page.pathname || !id.startsWith('source-') || !doc.getElementById(id)
                ? `${a.textContent} -> ${url.pathname}${url.hash}` : null;
        }).filter(x => x)
        """;

    /// <summary>Every marker of the open page stays on it and names a source that is on it. Returns how many markers there are.</summary>
    private static async Task<int> AssertEveryMarkerNamesASourceOnThePageAsync(IPage page, string path)
    {
        var wrong = await page.EvaluateAsync<string[]>($"() => ({CheckMarkers})(document, new URL(location.href), document.baseURI)");
        Assert.True(wrong.Length == 0, $"{path}: markers that leave the page or name no source on it: {string.Join(", ", wrong)}");
        return await page.Locator("a.source-link").CountAsync();
    }

    /// <summary>
    /// The first, a middle and the last visible marker, clicked: each lands on its source below the app bar, on the same
    /// page. Returns how many were clicked.
    /// </summary>
    private static async Task<int> ClickFirstMiddleAndLastMarkerAsync(IPage page, string path)
    {
        var markers = page.Locator("a.source-link");
        var visible = await markers.EvaluateAllAsync<int[]>("links => links.flatMap((a, i) => a.checkVisibility() ? [i] : [])");
        Assert.True(visible.Length > 0, $"{path}: no visible citation marker");
        var clicked = 0;
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
        return clicked;
    }
}

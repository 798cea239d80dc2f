using System.Globalization;
using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features;

/// <summary>
/// The charts an investor reads: year labels on the years they name, tooltips written like the tables, one colour per
/// company whatever else is drawn, axis text a phone can read.
/// </summary>
[RunsLong(75)]
public class ChartTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    // SVG text has no innerText: the tests read textContent.

    /// <summary>A raw plotted number ("6.538461538") instead of money ("US$6.5B").</summary>
    private static readonly Regex RawNumber = new(@"\d\.\d{4,}");

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task Compare_chart_puts_each_year_label_on_its_year_and_formats_tooltips_like_the_table(int width)
    {
        var page = await fixture.NewPageAsync(width, 900);
        await BrowserFixture.GotoInteractiveAsync(page, "/compare?c=moonshot-ai,minimax,zhipu-ai");
        var chart = page.Locator("[data-testid=compare-valuation-chart]");
        await DrawnAsync(chart);
        var labels = chart.Locator(".mud-charts-xaxis text");
        // The latest valuations are dated January 2026: the axis runs to a 2026 label (and pads to 2027).
        await Assertions.Expect(labels.Filter(new() { HasTextRegex = new Regex("^2026$") })).ToHaveCountAsync(1);
        var years = (await labels.AllTextContentsAsync()).Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(years[0], years.Count), years);

        // Each shown label (a phone shows every other one) sits on 1 January of its year: the labels' positions fit one
        // scale, and on it the rightmost point (9 January 2026) is a few days into 2026.
        var shown = new List<(int Year, double X)>();
        foreach (var label in await labels.Locator("visible=true").AllAsync())
        {
            shown.Add((int.Parse((await label.TextContentAsync())!, CultureInfo.InvariantCulture), await CentreXAsync(label)));
        }
        Assert.True(shown.Count >= 3, $"{shown.Count} year labels shown at {width} px");
        var year = (shown[^1].X - shown[0].X) / (shown[^1].Year - shown[0].Year);
        Assert.All(shown, l => Assert.InRange(l.X - (shown[0].X + (l.Year - shown[0].Year) * year), -0.02 * year, 0.02 * year));
        var points = chart.Locator("circle.mud-chart-point");
        var xs = new List<(double X, int Index)>();
        for (var i = 0; i < await points.CountAsync(); i++)
        {
            xs.Add((await CentreXAsync(points.Nth(i)), i));
        }
        var last = xs.MaxBy(p => p.X);
        var jan2026 = shown[0].X + (2026 - shown[0].Year) * year;
        Assert.InRange(last.X - jan2026, -0.02 * year, 0.08 * year);
        // Labels do not run into each other.
        var boxes = new List<LocatorBoundingBoxResult>();
        foreach (var label in await labels.Locator("visible=true").AllAsync())
        {
            boxes.Add((await label.BoundingBoxAsync())!);
        }
        Assert.All(boxes.Zip(boxes.Skip(1)), pair => Assert.True(pair.First.X + pair.First.Width < pair.Second.X,
            $"labels overlap at {width} px"));

        // Axis text is at least 10 px high on a phone too (it was scaled down to about 5 px).
        var box = boxes[0];
        Assert.True(box.Height >= 10, $"axis labels are {box.Height:0.#} px high at {width} px");

        // The tooltip names the company and the amount as the table writes it, and the date at its precision.
        await points.Nth(last.Index).HoverAsync(new() { Force = true });
        var tooltip = chart.Locator(".mud-chart-tooltip");
        await Assertions.Expect(tooltip).ToContainTextAsync(new Regex(@"(MiniMax|Zhipu AI): [~><]?(US|HK)?\$[\d.]+[MB]"));
        await Assertions.Expect(tooltip).ToContainTextAsync(new Regex("Jan 2026"));
        Assert.DoesNotMatch(RawNumber, await tooltip.TextContentAsync() ?? "");
        await page.ScreenshotAsync(new() { Path = Shot($"chart-compare-{width}.png"), FullPage = true });
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task A_company_keeps_its_colour_when_another_is_removed_and_on_its_profile_and_the_home_page(int width)
    {
        var page = await fixture.NewPageAsync(width, 900);
        await BrowserFixture.GotoInteractiveAsync(page, "/compare?c=zhipu-ai,moonshot-ai,minimax");
        await DrawnAsync(page.Locator("[data-testid=compare-valuation-chart]"));
        var before = await ColoursAsync(page);
        Assert.Equal(3, before.Values.Distinct().Count());
        await AssertDrawnInAsync(page, before.Values);

        // Zhipu AI goes: the other two keep their colours (they used to take the first palette colours).
        await page.Locator("[data-testid=compare-selection] .mud-chip").Filter(new() { HasText = "Zhipu AI" }).Locator("button").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex(@"c=moonshot-ai,minimax$"));
        await Assertions.Expect(page.Locator("[data-testid=compare-valuation-chart]"))
            .Not.ToHaveAttributeAsync("data-colors", new Regex("zhipu-ai"));
        await DrawnAsync(page.Locator("[data-testid=compare-valuation-chart]"));
        var after = await ColoursAsync(page);
        Assert.Equal(before["moonshot-ai"], after["moonshot-ai"]);
        Assert.Equal(before["minimax"], after["minimax"]);
        await AssertDrawnInAsync(page, after.Values);

        // The profile draws MiniMax's valuations in the same colour; the home page stacks Moonshot AI's funding in its.
        await BrowserFixture.GotoInteractiveAsync(page, "/companies/minimax");
        var profileChart = page.Locator("[data-testid=funding-chart]");
        await Assertions.Expect(profileChart).ToHaveAttributeAsync("data-valuation-color", before["minimax"]);
        await DrawnAsync(profileChart);
        Assert.Contains(before["minimax"], await StrokesAsync(profileChart));
        await page.ScreenshotAsync(new() { Path = Shot($"chart-profile-{width}.png"), FullPage = true });

        await BrowserFixture.GotoInteractiveAsync(page, "/");
        var home = page.Locator("[data-testid=funding-by-year]");
        await Assertions.Expect(home).ToHaveAttributeAsync("data-colors", new Regex(Regex.Escape(before["moonshot-ai"])));
        await page.ScreenshotAsync(new() { Path = Shot($"chart-home-{width}.png"), FullPage = true });
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task Home_chart_tooltips_and_axis_read_in_dollars(int width)
    {
        var page = await fixture.NewPageAsync(width, 900);
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        var chart = page.Locator("[data-testid=funding-by-year]");
        await Assertions.Expect(chart.Locator(".mud-charts-yaxis text").First).ToContainTextAsync("US$");
        var bar = chart.Locator("path.mud-chart-bar").Last;
        await bar.HoverAsync(new() { Force = true });
        var tooltip = chart.Locator(".mud-chart-tooltip");
        await Assertions.Expect(tooltip).ToContainTextAsync(new Regex(@", 20\d\d: US\$[\d.]+[MB]"));
        await Assertions.Expect(tooltip).ToContainTextAsync(new Regex(@"\d+ rounds?"));
        Assert.DoesNotMatch(RawNumber, await tooltip.TextContentAsync() ?? "");
        var label = chart.Locator(".mud-charts-xaxis text").Filter(new() { HasTextRegex = new Regex("^2024$") });
        await Assertions.Expect(label).ToBeVisibleAsync();
        // The chart may draw again once the circuit has its data: measure the label as it is then, not a node replaced.
        var height = await HeightOnceDrawnAsync(label);
        Assert.True(height >= 10, $"axis labels are {height:0.#} px high at {width} px");
    }

    [Theory]
    [InlineData(1366)]
    [InlineData(390)]
    public async Task The_export_page_is_in_the_menu_and_lists_each_download_with_its_columns(int width)
    {
        var page = await fixture.NewPageAsync(width, 900);
        await BrowserFixture.GotoInteractiveAsync(page, "/");
        if (width < 960)
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        }
        await page.GetByRole(AriaRole.Link, new() { Name = "Export", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/export$"));
        var links = page.Locator("[data-testid=export-link]");
        await Assertions.Expect(links).ToHaveCountAsync(7);
        await Assertions.Expect(links.First).ToHaveAttributeAsync("href", "/export/valuations.csv");
        await Assertions.Expect(page.Locator("[data-testid=export-list]")).ToContainTextAsync("valued_on, valued_precision");
        await BrowserFixture.AssertAccessibleAsync(page);
        await page.ScreenshotAsync(new() { Path = Shot($"export-{width}.png"), FullPage = true });

        // The chart pages pass axe too, with the charts drawn.
        await BrowserFixture.GotoInteractiveAsync(page, "/compare?c=moonshot-ai,minimax");
        await DrawnAsync(page.Locator("[data-testid=compare-valuation-chart]"));
        await BrowserFixture.AssertAccessibleAsync(page);
    }

    /// <summary>
    /// The chart draws its series once the circuit has measured its size, and may redraw once more when the page's
    /// layout settles (a scroll bar appears, a font arrives): waits for the points, then until the positions of its
    /// labels and points stay the same for two looks in a row, so measurements are all taken on one drawing.
    /// </summary>
    private static async Task DrawnAsync(ILocator chart)
    {
        await Assertions.Expect(chart.Locator("circle.mud-chart-point").First).ToBeAttachedAsync();
        string? before = null;
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var now = await chart.EvaluateAsync<string>("""
                c => [...c.querySelectorAll('.mud-charts-xaxis text, circle.mud-chart-point')]
                    .map(e => { const r = e.getBoundingClientRect(); return r.x.toFixed(1) + ',' + r.y.toFixed(1); }).join(' ')
                """);
            if (now == before)
            {
                return;
            }
            before = now;
            await Task.Delay(250);
        }
        Assert.Fail("the chart kept moving for 10 s after it was drawn");
    }

    private static async Task<double> CentreXAsync(ILocator element)
    {
        var box = await element.BoundingBoxAsync();
        return box!.X + box.Width / 2;
    }

    /// <summary>The chart's own statement of which company has which colour: "slug=#colour slug=#colour".</summary>
    private static async Task<Dictionary<string, string>> ColoursAsync(IPage page)
    {
        var attribute = await page.Locator("[data-testid=compare-valuation-chart]").GetAttributeAsync("data-colors");
        return attribute!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => p[1]);
    }

    /// <summary>The lines are really drawn in those colours (not only announced in the attribute).</summary>
    private static async Task AssertDrawnInAsync(IPage page, IEnumerable<string> colours)
    {
        var strokes = await StrokesAsync(page.Locator("[data-testid=compare-valuation-chart]"));
        Assert.All(colours, c => Assert.Contains(c, strokes));
    }

    private static async Task<HashSet<string>> StrokesAsync(ILocator chart) =>
        (await chart.Locator("svg [stroke]").EvaluateAllAsync<string[]>("els => els.map(e => e.getAttribute('stroke'))"))
        .Select(s => s.ToLowerInvariant()).ToHashSet();

    /// <summary>An element's height, asked again while the element is being replaced by a new render (at most 10 s).</summary>
    private static async Task<double> HeightOnceDrawnAsync(ILocator element)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (await element.BoundingBoxAsync() is { } box)
            {
                return box.Height;
            }
            if (attempt == 20)
            {
                return 0;
            }
            await Task.Delay(500);
        }
    }
}

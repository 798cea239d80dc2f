using System.Text.RegularExpressions;

namespace AiLandscape.EndToEnd.Features.Circuits;

/// <summary>
/// The biggest records keep their interactive circuit: the Tencent and Alibaba profiles used to lose it as soon as it
/// connected (the state handed over from the prerender was over the hub's message limit).
/// </summary>
public class CircuitTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static string Shot(string name) => Path.Combine(BrowserFixture.ScreenshotDirectory, name);

    /// <summary>
    /// Opens the page with its console watched, waits for the circuit, runs the interaction and checks that it was
    /// answered by the circuit (no page load in between), that no reconnect dialog showed and that the console stayed
    /// free of errors ("Server returned an error on close" and the like).
    /// </summary>
    private async Task<IPage> OpenAndInteractAsync(string url, Func<IPage, Task> interact)
    {
        var page = await fixture.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);

        await BrowserFixture.GotoInteractiveAsync(page, url);
        await page.EvaluateAsync("() => window.sameDocument = true");

        await interact(page);

        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"),
            $"{url}: the interaction reloaded the page instead of going through the circuit");
        await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("[data-testid=render-mode]")).ToHaveAttributeAsync("data-interactive", "true");
        Assert.True(errors.Count == 0, $"{url}: console errors: {string.Join(" | ", errors)}");
        return page;
    }

    private static async Task OpenTheAsOfPickerAsync(IPage page)
    {
        await page.Locator("[data-testid=as-of-open]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=as-of-date]")).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("/investors/tencent", "腾讯", "investor-tencent.png")]
    [InlineData("/investors/alibaba", "阿里巴巴", "investor-alibaba.png")]
    public async Task The_biggest_investor_profiles_stay_interactive(string url, string nameZh, string shot)
    {
        var page = await OpenAndInteractAsync(url, OpenTheAsOfPickerAsync);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(nameZh);
        await Assertions.Expect(page.Locator("[data-testid=portfolio-company]").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Shot(shot), FullPage = true });
    }

    [Fact]
    public async Task The_biggest_company_profile_stays_interactive()
    {
        var page = await OpenAndInteractAsync("/companies/zhipu-ai", OpenTheAsOfPickerAsync);

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("智谱");
    }

    [Fact]
    public async Task A_comparison_of_every_company_stays_interactive()
    {
        // The seed holds seven companies; the comparison takes up to eight.
        const string all = "zhipu-ai,moonshot-ai,minimax,baichuan,stepfun,01-ai,deepseek";
        var page = await OpenAndInteractAsync($"/compare?c={all}", async p =>
        {
            await Assertions.Expect(p.Locator("[data-testid=compare-table] tbody tr")).ToHaveCountAsync(7);
            await p.GetByText("USD at the latest stored rate").ClickAsync();
            await Assertions.Expect(p).ToHaveURLAsync(new Regex("rates=latest"));
        });

        await Assertions.Expect(page.Locator("[data-testid=compare-table] tbody tr")).ToHaveCountAsync(7);
    }

    /// <summary>
    /// A page load is the prerender (a plain GET) plus the circuit. Where the page hands everything over, the circuit
    /// sends no SQL at all; where it reads something small again (the dashboard panels, the directory's facets, the
    /// rounds' currency list), it still does not repeat the list's queries, so it costs less than the prerender.
    /// </summary>
    [Theory]
    [InlineData("/investors", "[data-testid=investor-table] tbody [data-testid=round-count]", true)]
    [InlineData("/investors?sort=rounds-desc&page=2", "[data-testid=investor-table] tbody [data-testid=round-count]", true)]
    [InlineData("/investors/hongshan", "[data-testid=portfolio-company]", true)]
    [InlineData("/", "[data-testid=company-table] tbody [data-testid=total-raised]", false)]
    [InlineData("/companies", "[data-testid=company-grid] tbody [data-testid=total-raised]", false)]
    [InlineData("/rounds", "[data-testid=round-table] tbody [data-testid=round-amount]", false)]
    public async Task The_circuit_does_not_query_again_what_the_prerender_handed_over(string url, string dataCell, bool allHandedOver)
    {
        // What the prerender alone costs: a plain GET.
        using (var http = new HttpClient { BaseAddress = new Uri(fixture.BaseAddress) })
        {
            (await http.GetAsync(url)).EnsureSuccessStatusCode(); // warm: first-use queries (as-of models, options) aside
            fixture.SqlCommands.Reset();
            (await http.GetAsync(url)).EnsureSuccessStatusCode();
        }
        var prerender = fixture.SqlCommands.Count;
        Assert.True(prerender > 0);

        var page = await fixture.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        fixture.SqlCommands.Reset();
        await BrowserFixture.GotoInteractiveAsync(page, url);
        // The circuit's first render has replaced the prerendered rows: these come from its own first load.
        await Assertions.Expect(page.Locator(dataCell).First).ToBeVisibleAsync();

        var circuit = fixture.SqlCommands.Count - prerender;
        await page.ScreenshotAsync(new() { Path = Shot("circuit" + string.Concat(url.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')) + ".png"), FullPage = true });
        if (allHandedOver)
        {
            Assert.Equal(0, circuit);
        }
        else
        {
            Assert.True(circuit < prerender, $"{url}: the circuit sent {circuit} SQL commands, the prerender {prerender}");
        }
    }

    [Theory]
    [InlineData("/companies", "[data-testid=company-grid] tbody [data-testid=total-raised]", "1-7 of 7", "no-script-companies.png")]
    [InlineData("/investors", "[data-testid=investor-table] tbody [data-testid=round-count]", "1-25 of 47", "no-script-investors.png")]
    public async Task Without_script_a_list_shows_its_first_page_and_its_count(string url, string dataCell, string pager, string shot)
    {
        await using var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseAddress,
            JavaScriptEnabled = false,
            ViewportSize = new ViewportSize { Width = 1366, Height = 900 },
            Locale = "en-GB",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);

        await Assertions.Expect(page.Locator(dataCell).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=prerendered-pager]")).ToContainTextAsync(pager);
        await page.ScreenshotAsync(new() { Path = Shot(shot), FullPage = true });
    }
}

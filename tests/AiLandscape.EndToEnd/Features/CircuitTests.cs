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
}

namespace AiLandscape.EndToEnd.Features;

/// <summary>
/// The Content-Security-Policy must not break anything a user does: every main page loads, turns interactive and
/// logs no violation (the browser reports each blocked script, style, font or connection in its console).
/// </summary>
public class ContentSecurityPolicyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Pages_run_under_the_policy_with_no_violation()
    {
        var page = await fixture.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error" || m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) { problems.Add($"{page.Url}: {m.Text}"); } };
        page.PageError += (_, e) => problems.Add($"{page.Url}: {e}");
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));");

        foreach (var url in new[] { "/", "/companies", "/companies/moonshot-ai", "/investors", "/investors/tencent", "/rounds", "/compare?c=moonshot-ai,minimax,zhipu-ai" })
        {
            await BrowserFixture.GotoInteractiveAsync(page, url);
            await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        }
        // The API reference (Scalar) has its own, looser policy for its inline scripts: it must still render.
        await page.GotoAsync("/api/docs");
        await Assertions.Expect(page.GetByText("AiLandscape API").First).ToBeVisibleAsync(new() { Timeout = 20_000 });

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}

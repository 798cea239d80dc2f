using System.Text.RegularExpressions;
using AiLandscape.Web.Hosting;
using Xunit.Abstractions;

namespace AiLandscape.Tests.Components;

/// <summary>
/// The HTML a page sends before any script runs (what a reader without script, a crawler or a slow link sees), and
/// the state it hands to its circuit. Plain GETs against the real app over the seed.
/// </summary>
public partial class FirstHtmlTests(ITestOutputHelper output) : IAsyncLifetime
{
    private AppFactory _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _app = new AppFactory(await pg.CreateDatabaseAsync("first_html"));
        _client = _app.CreateClient();
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.DisposeAsync();
    }

    private async Task<string> FirstHtmlAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>A CJK ideograph written as a numeric character reference (&amp;#x667A; for 智).</summary>
    [GeneratedRegex("&#x(4[Ee]|[5-9][0-9A-Fa-f])[0-9A-Fa-f]{2};")]
    private static partial Regex CjkReference();

    [GeneratedRegex("<!--Blazor-Server-Component-State:(?<state>[^-]*)-->")]
    private static partial Regex PersistedState();

    [Fact]
    public async Task A_company_profile_carries_its_chinese_names_as_utf8_characters()
    {
        var html = await FirstHtmlAsync("/companies/zhipu-ai");

        Assert.Contains("智谱", html);
        Assert.DoesNotContain("&#x667A;", html, StringComparison.OrdinalIgnoreCase);
        Assert.False(CjkReference().IsMatch(html), $"Chinese written as a character reference: {CjkReference().Match(html).Value}");
    }

    [Theory]
    [InlineData("/investors/tencent", "腾讯")]
    [InlineData("/investors/alibaba", "阿里巴巴")]
    public async Task The_biggest_investor_profiles_render_in_full_and_hand_their_circuit_little_state(string path, string nameZh)
    {
        var html = await FirstHtmlAsync(path);

        // The profile is in the first HTML: its name, portfolio and co-investors.
        Assert.Contains(nameZh, html);
        Assert.Contains("data-testid=\"portfolio-company\"", html);
        Assert.Contains("data-testid=\"co-investor\"", html);
        // What the browser sends back when the circuit starts stays well inside the hub's message limit (it was over
        // 32 KB and closed the circuit).
        var state = PersistedState().Match(html) is { Success: true } m ? m.Groups["state"].Value : "";
        Assert.True(state.Length <= CircuitLimits.MaximumReceiveMessageSize / 2,
            $"{path} persists {state.Length} bytes for its circuit");
    }

    [Fact]
    public async Task A_small_investor_profile_is_handed_to_its_circuit_instead_of_being_read_again()
    {
        var html = await FirstHtmlAsync("/investors/hongshan");

        Assert.Contains("红杉中国", html);
        Assert.Matches(PersistedState(), html);
    }

    [Theory]
    [InlineData("/", new[] { "Moonshot AI", "月之暗面", "Zhipu AI", "智谱", "DeepSeek", "深度求索", "StepFun", "阶跃星辰" })]
    [InlineData("/companies", new[] { "Moonshot AI", "月之暗面", "Zhipu AI", "智谱", "MiniMax", "稀宇科技", "Baichuan", "百川智能" })]
    [InlineData("/investors", new[] { "Alibaba", "阿里巴巴", "Alibaba Cloud", "阿里云", "Ant Group", "蚂蚁集团", "Capital Today", "今日资本" })]
    [InlineData("/rounds", new[] { "Zhipu AI", "智谱", "Moonshot AI", "月之暗面", "MiniMax", "Tencent", "Alibaba" })]
    [InlineData("/people", new[] { "Kai-Fu Lee", "李开复", "Yang Zhilin", "杨植麟", "Moonshot AI", "月之暗面" })]
    [InlineData("/models", new[] { "GLM-5", "DeepSeek-R1", "深度求索", "Kimi K2", "月之暗面", "Apache-2.0" })]
    public async Task A_list_page_carries_its_first_page_of_rows_in_the_first_html(string path, string[] names)
    {
        var html = await FirstHtmlAsync(path);

        foreach (var name in names)
        {
            Assert.Contains(name, html);
        }
        Assert.False(CjkReference().IsMatch(html), $"Chinese written as a character reference: {CjkReference().Match(html).Value}");
        // The pager tells how many rows there are in all, not just on this page.
        Assert.Matches("data-testid=\"prerendered-pager\"[^>]*>\\s*<div[^>]*></div>\\s*<div[^>]*>\\s*<div[^>]*>1-\\d+ of \\d+</div>", html);
        // The rows are handed to the circuit (which then does not query them again), within the hub's limit.
        var state = PersistedState().Match(html);
        Assert.True(state.Success, $"{path} hands nothing to its circuit");
        output.WriteLine($"{path}: {state.Groups["state"].Length} characters of persisted state");
        Assert.True(state.Groups["state"].Length <= CircuitLimits.MaximumReceiveMessageSize - 8 * 1024,
            $"{path} persists {state.Groups["state"].Length} bytes for its circuit");
    }

    [Fact]
    public async Task A_person_page_is_in_the_first_html_and_handed_to_its_circuit()
    {
        var html = await FirstHtmlAsync("/people/yan-junjie");

        Assert.Contains("闫俊杰", html);
        Assert.Contains("MiniMax", html);
        Assert.Contains("data-testid=\"role\"", html);
        Assert.Matches(PersistedState(), html);
    }

    [Fact]
    public async Task The_investor_list_pager_counts_every_investor_not_only_the_first_page()
    {
        var html = await FirstHtmlAsync("/investors");

        Assert.Contains(">1-25 of 47<", html);
    }
}

using System.Net;
using System.Text;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Compare;
using AiLandscape.Web.Features.ExchangeRates;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Compare;

/// <summary>The comparison's figures for Moonshot AI, MiniMax and Baichuan, against values computed by hand from the seed.</summary>
public class CompareServiceTests : IAsyncLifetime
{
    private readonly SqlCommandCounter _counter = new();
    private string _connectionString = "";
    private ServiceProvider _services = null!;
    private CompareService _service = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _connectionString = await pg.CreateDatabaseAsync("compare");
        _services = TestPostgres.BuildServices(_connectionString, _counter);
        _service = new CompareService(_services.GetRequiredService<IDbContextFactory<AppDbContext>>());
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Three_companies_at_each_figures_date()
    {
        var result = await _service.CompareAsync(["moonshot-ai", "minimax", "baichuan"], RateMode.FigureDate);
        Assert.Equal(["moonshot-ai", "minimax", "baichuan"], result.Companies.Select(c => c.Slug));

        var moonshot = result.Companies[0];
        Assert.Equal(4_800_000_000m, moonshot.LatestValuation!.Usd!.Usd);
        Assert.Equal(2_500_000_000m, moonshot.TotalRaised.Usd);          // 1B + 300M + 500M + 700M, three of them floors
        Assert.Equal(new ValuationMultiple(1.9m, IsUpperBound: true), moonshot.Multiple); // 4.8 / 2.5 = 1.92
        Assert.Equal(4, moonshot.RoundCount);
        Assert.Equal(["alibaba", "idg-capital"], moonshot.LeadInvestors.Select(i => i.Slug).Order());

        var minimax = result.Companies[1];
        Assert.Equal(6_500_000_000m, minimax.LatestValuation!.Usd!.Usd); // ~US$6.5B at the IPO offer
        Assert.Equal(1_180_000_000m, minimax.TotalRaised.Usd);           // 30M (min) + 250M (min) + 600M + 300M
        Assert.Equal(2, minimax.TotalRaised.UndisclosedCount);
        Assert.Equal(new ValuationMultiple(5.5m, true), minimax.Multiple); // 6.5 / 1.18 = 5.51
        Assert.Equal(new DateOnly(2026, 1, 9), minimax.LastRoundOn);

        var baichuan = result.Companies[2];
        var cnyJune2024 = 7.2547m; // Jul 2024 has no stored rate: the nearest earlier month (Jun) is used
        var valuationUsd = Math.Round(20_000_000_000m / cnyJune2024);
        var raisedUsd = 50_000_000m + 300_000_000m + Math.Round(5_000_000_000m / cnyJune2024);
        Assert.Equal(valuationUsd, baichuan.LatestValuation!.Usd!.Usd);
        Assert.True(baichuan.LatestValuation.Usd.IsApproximate);
        Assert.Equal(raisedUsd, baichuan.TotalRaised.Usd);
        Assert.Equal(new ValuationMultiple(Math.Round(valuationUsd / raisedUsd, 1), false), baichuan.Multiple);
        Assert.Empty(baichuan.LeadInvestors);

        var moonshotMinimax = result.Shared.Single(s => s.SlugA == "moonshot-ai" && s.SlugB == "minimax");
        Assert.Equal(["alibaba", "idg-capital", "tencent"], moonshotMinimax.Investors.Select(i => i.Slug));
        var minimaxBaichuan = result.Shared.Single(s => s.SlugA == "minimax" && s.SlugB == "baichuan");
        Assert.Equal(["alibaba", "tencent"], minimaxBaichuan.Investors.Select(i => i.Slug));
    }

    [Fact]
    public async Task The_latest_rate_toggle_converts_yuan_at_the_newest_stored_month()
    {
        var result = await _service.CompareAsync(["baichuan", "deepseek"], RateMode.Latest);
        var baichuan = result.Companies[0];
        Assert.Equal(Math.Round(20_000_000_000m / 7.1741m), baichuan.LatestValuation!.Usd!.Usd); // Jul 2025
        Assert.Contains("latest stored rate", baichuan.LatestValuation.Usd.Basis);

        var deepseek = result.Companies[1];
        Assert.Null(deepseek.LatestValuation);   // shown as "no valuation", never as zero
        Assert.Null(deepseek.Multiple);
        Assert.False(deepseek.TotalRaised.HasAnyAmount);
    }

    [Fact]
    public async Task Without_companies_the_six_tigers_are_compared_and_unknown_slugs_are_reported()
    {
        var defaults = await _service.CompareAsync([], RateMode.FigureDate);
        Assert.True(defaults.UsedDefault);
        Assert.Equal(6, defaults.Companies.Count);
        Assert.DoesNotContain(defaults.Companies, c => c.Slug == "deepseek");

        var partly = await _service.CompareAsync(["zhipu-ai", "nope"], RateMode.FigureDate);
        Assert.Equal(["nope"], partly.UnknownSlugs);
        Assert.True(partly.Companies.Single().LatestValuationDisputed); // HK$51B vs HK$31.2B at the IPO
    }

    [Fact]
    public async Task A_comparison_costs_the_same_sql_commands_for_two_or_eight_companies()
    {
        _counter.Reset();
        await _service.CompareAsync(["moonshot-ai", "minimax"], RateMode.FigureDate);
        var two = _counter.Count;
        _counter.Reset();
        await _service.CompareAsync(["moonshot-ai", "minimax", "baichuan", "zhipu-ai", "stepfun", "01-ai", "deepseek"], RateMode.FigureDate);
        Assert.Equal(two, _counter.Count);
    }

    [Fact]
    public async Task The_csv_download_keeps_chinese_names_for_excel_and_leaves_unknowns_empty()
    {
        await using var app = new AppFactory(_connectionString);
        using var client = app.CreateClient();
        var response = await client.GetAsync("/compare.csv?c=moonshot-ai,deepseek");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes.Take(3)); // BOM: Excel then reads UTF-8
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("slug,name_en,name_zh,latest_valuation", lines[0]);
        Assert.Contains("月之暗面", lines[1]);
        var deepseek = lines[2].Split(',');
        Assert.Equal("deepseek", deepseek[0]);
        Assert.Equal("", deepseek[3]);  // no valuation: empty, not 0
        Assert.Equal("", deepseek[12]); // no total raised (total_raised_usd): empty, not 0
    }

    [Fact]
    public async Task A_name_that_starts_like_a_formula_is_escaped_in_the_csv()
    {
        var pg = await TestPostgres.GetAsync();
        var connectionString = await pg.CreateDatabaseAsync("compare_formula");
        await using (var db = TestPostgres.ContextFactory(connectionString).CreateDbContext())
        {
            await db.Companies.Where(c => c.Slug == "moonshot-ai")
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.NameEn, "=HYPERLINK(\"http://evil.example\",\"x\")"));
        }
        await using var app = new AppFactory(connectionString);
        using var client = app.CreateClient();
        var text = Encoding.UTF8.GetString(await client.GetByteArrayAsync("/compare.csv?c=moonshot-ai,deepseek"));
        var moonshot = text.Split('\n').Single(l => l.StartsWith("moonshot-ai,"));
        // A spreadsheet shows the cell as text, not as a formula: it starts with an apostrophe.
        Assert.StartsWith("moonshot-ai,\"'=HYPERLINK(", moonshot);
    }
}

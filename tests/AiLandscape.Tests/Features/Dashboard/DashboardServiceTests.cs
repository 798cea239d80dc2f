using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Dashboard;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Dashboard;

public class DashboardServiceTests : IAsyncLifetime
{
    private ServiceProvider _services = null!;
    private Web.Features.Dashboard.Dashboard _data = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("dashboard"));
        _data = await new DashboardService(_services.GetRequiredService<IDbContextFactory<AppDbContext>>()).GetAsync();
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public void Funding_by_year_adds_private_rounds_in_usd_and_counts_what_is_undisclosed()
    {
        // 2024 Moonshot: Feb >$1B + Aug >$300M (both ranges, at their minimum).
        var moonshot2024 = _data.Funding.Where(f => f.Year == 2024 && f.CompanySlug == "moonshot-ai").ToList();
        Assert.Equal(1_300_000_000m, moonshot2024.Sum(f => f.Usd));
        Assert.Equal(2, moonshot2024.Sum(f => f.Ranges));
        // 2023 MiniMax: $250M+ (Jun) and the undisclosed Guofang strategic round (Nov).
        var minimax2023 = _data.Funding.Where(f => f.Year == 2023 && f.CompanySlug == "minimax").ToList();
        Assert.Equal(250_000_000m, minimax2023.Sum(f => f.Usd));
        Assert.Equal(1, minimax2023.Sum(f => f.Undisclosed));
        // IPOs are not private funding.
        Assert.DoesNotContain(_data.Funding, f => f.Stage == RoundStage.Ipo);
        // MiniMax Pre-B+ and Zhipu's Chengdu round have no date.
        Assert.Equal(2, _data.UndatedRounds);
    }

    [Fact]
    public void Top_valuations_rank_in_usd_and_companies_without_one_are_listed_not_zeroed()
    {
        Assert.Equal(["minimax", "zhipu-ai"], _data.TopValuations.Take(2).Select(t => t.Slug).Order());
        Assert.DoesNotContain(_data.TopValuations, t => t.Slug == "deepseek");
        Assert.Contains("DeepSeek", _data.WithoutValuation);
        Assert.Contains("StepFun", _data.WithoutValuation);
    }

    [Fact]
    public void Latest_rounds_and_active_investors()
    {
        Assert.Equal("stepfun", _data.LatestRounds[0].CompanySlug); // Series B+, 26 Jan 2026
        Assert.True(_data.LatestRounds.Zip(_data.LatestRounds.Skip(1)).All(p => p.First.AnnouncedOn >= p.Second.AnnouncedOn));
        var alibaba = _data.ActiveInvestors[0];
        Assert.Equal("alibaba", alibaba.Slug);
        // Moonshot, MiniMax, Baichuan, Zhipu and 01.AI (through its unit Alibaba Cloud), as on /investors and its profile.
        Assert.Equal(5, alibaba.Companies);
    }

    [Fact]
    public void Model_releases_are_counted_by_year_and_openness()
    {
        var y2025 = _data.ModelsByYear.Single(m => m.Year == 2025);
        Assert.True(y2025.OpenWeights >= 4); // R1, V3-0324, M1, GLM-4.5, Step-Video, Step3, Kimi K2 …
        Assert.Equal(1, _data.ModelsByYear.Sum(m => m.Closed)); // only the Kimi chatbot is stated closed
    }
}

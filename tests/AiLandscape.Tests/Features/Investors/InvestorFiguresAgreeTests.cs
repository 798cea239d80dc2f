using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Dashboard;
using AiLandscape.Web.Features.Investors;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Investors;

/// <summary>
/// An investor's rounds, leads and companies are one figure shown on three pages: the home page's "most active
/// investors", /investors and the investor's profile. Over the seeded data they must be equal everywhere.
/// </summary>
public class InvestorFiguresAgreeTests : IAsyncLifetime
{
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("investor_figures"));
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task Every_investor_on_the_home_page_shows_the_same_rounds_leads_and_companies_on_the_list_and_its_profile()
    {
        var factory = _services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var dashboard = await new DashboardService(factory).GetAsync();
        var investors = new InvestorService(factory);
        var list = (await investors.ListAsync(new InvestorQuery { PageSize = 100 })).Items.ToDictionary(i => i.Slug);

        Assert.Equal(10, dashboard.ActiveInvestors.Count);
        foreach (var home in dashboard.ActiveInvestors)
        {
            var row = list[home.Slug];
            var profile = (await investors.GetProfileAsync(home.Slug))!.Figures;
            Assert.Equal((home.Slug, home.Rounds, home.Leads, home.Companies), (home.Slug, row.RoundCount, row.LeadCount, row.CompanyCount));
            Assert.Equal((home.Slug, home.Rounds, home.Leads, home.Companies), (home.Slug, profile.RoundCount, profile.LeadCount, profile.CompanyCount));
        }

        // The case the issue found: Alibaba's figures include its unit Alibaba Cloud (01.AI) on every page.
        var alibaba = dashboard.ActiveInvestors.Single(i => i.Slug == "alibaba");
        Assert.Equal((10, 3, 5), (alibaba.Rounds, alibaba.Leads, alibaba.Companies));
    }

    [Fact]
    public async Task Every_investor_on_the_list_shows_the_same_figures_on_its_profile()
    {
        var factory = _services.GetRequiredService<IDbContextFactory<AppDbContext>>();
        var investors = new InvestorService(factory);
        foreach (var row in (await investors.ListAsync(new InvestorQuery { PageSize = 100 })).Items)
        {
            var profile = (await investors.GetProfileAsync(row.Slug))!.Figures;
            Assert.Equal((row.Slug, row.RoundCount, row.LeadCount, row.CompanyCount),
                (row.Slug, profile.RoundCount, profile.LeadCount, profile.CompanyCount));
        }
    }
}

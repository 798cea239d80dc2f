using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Companies;

public class CompanyServiceTests : IAsyncLifetime
{
    private readonly SqlCommandCounter _counter = new();
    private ServiceProvider _services = null!;
    private CompanyService _service = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("company_service"), _counter);
        _service = new CompanyService(_services.GetRequiredService<IDbContextFactory<AppDbContext>>());
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    [Fact]
    public async Task The_list_shows_each_companys_latest_valuation_and_total_raised()
    {
        var page = await _service.ListAsync(0, 25);
        Assert.Equal(7, page.TotalCount);
        var bySlug = page.Items.ToDictionary(i => i.Slug);

        var moonshot = bySlug["moonshot-ai"];
        Assert.Equal("月之暗面", moonshot.NameZh);
        Assert.Equal(4_800_000_000m, moonshot.LatestValuation!.Amount);
        Assert.Equal(new DateOnly(2026, 1, 1), moonshot.LatestValuation.ValuedOn);
        // >$1B + >$300M + $500M + >$700M: a floor, because three of the four are "more than".
        Assert.Equal(2_500_000_000m, moonshot.TotalRaised.Usd);
        Assert.True(moonshot.TotalRaised.IsLowerBound);

        var minimax = bySlug["minimax"];
        Assert.Equal(ValuationBasis.IpoOffer, minimax.LatestValuation!.Basis);
        // IPO proceeds are not "raised" in private rounds; two rounds have no disclosed amount.
        Assert.Equal(1_180_000_000m, minimax.TotalRaised.Usd);
        Assert.Equal(2, minimax.TotalRaised.UndisclosedCount);

        var zhipu = bySlug["zhipu-ai"];
        Assert.Equal("HKD", zhipu.LatestValuation!.Currency);
        Assert.True(zhipu.LatestValuation.Usd!.IsApproximate); // HKD peg, no dated HKD rate stored
    }

    [Fact]
    public async Task DeepSeek_shows_no_valuation_and_no_rounds_rather_than_zero()
    {
        var deepseek = (await _service.ListAsync(0, 25)).Items.Single(i => i.Slug == "deepseek");
        Assert.Null(deepseek.LatestValuation);
        Assert.Equal(0, deepseek.TotalRaised.RoundCount);
        Assert.False(deepseek.TotalRaised.HasAnyAmount);
    }

    [Fact]
    public async Task Unverified_valuations_are_never_the_headline()
    {
        var zhipu = (await _service.ListAsync(0, 25)).Items.Single(i => i.Slug == "zhipu-ai");
        Assert.NotEqual(20_000_000_000m, zhipu.LatestValuation!.Amount);
    }

    [Fact]
    public async Task Pages_are_cut_in_sql_and_cost_the_same_number_of_commands_whatever_their_size()
    {
        _counter.Reset();
        var small = await _service.ListAsync(0, 2);
        var smallCost = _counter.Count;
        _counter.Reset();
        var large = await _service.ListAsync(0, 50);
        var largeCost = _counter.Count;

        Assert.Equal(2, small.Items.Count);
        Assert.Equal(7, large.Items.Count);
        Assert.Equal(smallCost, largeCost);
        // Count, page, the page's valuations, its rounds, the rates (with the app's cache the count is one version read).
        Assert.True(largeCost <= 5, $"expected at most 5 commands, saw {largeCost}");

        var second = await _service.ListAsync(1, 2);
        Assert.Empty(second.Items.Select(i => i.Slug).Intersect(small.Items.Select(i => i.Slug)));
    }
}

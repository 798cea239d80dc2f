using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Rounds;

/// <summary>
/// "How much did each company raise in 2024–2025?" over the seed dataset: the same rules as the rounds list's total
/// (completed, verified, not IPO; a range adds its floor), undisclosed rounds counted apart and never as zero.
/// </summary>
public class FundingByCompanyTests : IAsyncLifetime
{
    private readonly SqlCommandCounter _counter = new();
    private ServiceProvider _services = null!;
    private RoundService _service = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("funding_by_company"), _counter);
        _service = new RoundService(_services.GetRequiredService<IDbContextFactory<AppDbContext>>());
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private static readonly RoundQuery In2024 = new() { From = new DateOnly(2024, 1, 1), To = new DateOnly(2024, 12, 31) };

    [Fact]
    public async Task Each_companys_2024_rounds_add_up_largest_first_in_us_dollars()
    {
        var result = await _service.FundingByCompanyAsync(In2024, "USD");

        Assert.Equal("USD", result.Currency);
        // Worked out by hand in RoundServiceTests: Moonshot >US$1B + >US$300M; Zhipu US$400M + ¥3B at Dec 2024's 7.2807;
        // Baichuan ¥5B at Jun 2024's 7.2547; MiniMax US$600M; StepFun "hundreds of millions" (≥ US$100M, a range).
        Assert.Equal(["moonshot-ai", "zhipu-ai", "baichuan", "minimax", "stepfun"], result.Companies.Select(c => c.Slug));
        Assert.Equal([1_300_000_000m, 812_048_292m, 689_208_375m, 600_000_000m, 100_000_000m], result.Companies.Select(c => c.Usd));
        Assert.Equal(5, result.CompanyCount);
        var stepFun = result.Companies.Single(c => c.Slug == "stepfun");
        Assert.True(stepFun.IsLowerBound);
        Assert.Equal(1, stepFun.Ranges);

        var twoYears = await _service.FundingByCompanyAsync(In2024 with { To = new DateOnly(2025, 12, 31) }, "USD");
        var moonshot = twoYears.Companies.Single(c => c.Slug == "moonshot-ai");
        Assert.Equal(3, moonshot.Rounds);
        Assert.Equal(1_800_000_000m, moonshot.Usd); // + US$500M in Dec 2025
        Assert.Equal(0, moonshot.Undisclosed);
    }

    [Fact]
    public async Task Undisclosed_rounds_are_counted_apart_and_never_added_as_zero()
    {
        var in2023 = await _service.FundingByCompanyAsync(new RoundQuery { Company = "01.AI", From = new DateOnly(2023, 1, 1), To = new DateOnly(2023, 12, 31) }, null);
        var zeroOne = Assert.Single(in2023.Companies);
        // Nov 2023: undisclosed, counted; Dec 2023: "up to US$200M" still being raised, listed but not added.
        Assert.Equal(2, zeroOne.Rounds);
        Assert.Equal(1, zeroOne.Counted);
        Assert.Equal(1, zeroOne.Undisclosed);
        Assert.Equal(1, zeroOne.NotAdded);
        Assert.Null(zeroOne.Usd); // nothing known was added: no figure, not US$0
        Assert.True(zeroOne.IsLowerBound);

        // Over every round, the companies' figures add up to the list's own total and undisclosed count.
        var all = await _service.FundingByCompanyAsync(new RoundQuery(), "USD");
        var list = await _service.ListAsync(new RoundQuery());
        Assert.Equal(list.Total.Usd, all.Companies.Sum(c => c.Usd ?? 0));
        Assert.Equal(list.Total.UndisclosedCount, all.Companies.Sum(c => c.Undisclosed));
        Assert.Equal(3, all.Companies.Sum(c => c.Undisclosed));
        Assert.Equal(list.TotalCount, all.Companies.Sum(c => c.Rounds));
    }

    [Fact]
    public async Task Another_currency_converts_at_the_periods_average_stored_rate_in_a_few_commands()
    {
        _counter.Reset();
        var cny = await _service.FundingByCompanyAsync(In2024, "cny");
        Assert.True(_counter.Count <= 4, $"expected at most 4 commands, saw {_counter.Count}");

        await using var db = await _services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var stored = await db.ExchangeRates
            .Where(r => r.Currency == "CNY" && r.Month >= new DateOnly(2024, 1, 1) && r.Month <= new DateOnly(2024, 12, 31))
            .Select(r => r.UnitsPerUsd).ToListAsync();
        Assert.NotEmpty(stored);
        Assert.Equal("CNY", cny.Currency);
        Assert.Equal(stored.Count, cny.RateMonths);
        Assert.Equal(Math.Round(stored.Average(), 4), cny.Rate);
        Assert.Contains("CNY", cny.Currencies);
        Assert.Equal(1_300_000_000m * cny.Rate, cny.InCurrency(cny.Companies[0].Usd));

        // A currency without rates falls back to US dollars rather than showing nothing.
        var unknown = await _service.FundingByCompanyAsync(In2024, "XYZ");
        Assert.Equal("USD", unknown.Currency);
    }
}

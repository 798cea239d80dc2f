using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Tests.Features.Rounds;

public class FundingTotalTests
{
    private static readonly CurrencyConverter Converter =
        new([new ExchangeRateRow("CNY", new DateOnly(2024, 6, 1), 7.25m, "FRED")]);

    private static RoundAmount Usd(Disclosure d, decimal? amount = null, decimal? min = null) =>
        new(d, "USD", amount, min, new DateOnly(2024, 6, 1), DatePrecision.Day);

    [Fact]
    public void Disclosed_rounds_add_up_in_usd_across_currencies()
    {
        var total = FundingTotal.Sum([Usd(Disclosure.Disclosed, 100m), new RoundAmount(Disclosure.Disclosed, "CNY", 725m, null, new DateOnly(2024, 6, 3), DatePrecision.Day)], Converter);
        Assert.Equal(200m, total.Usd);
        Assert.False(total.IsLowerBound);
    }

    [Fact]
    public void Undisclosed_rounds_are_counted_not_added()
    {
        var total = FundingTotal.Sum([Usd(Disclosure.Disclosed, 100m), Usd(Disclosure.Undisclosed), Usd(Disclosure.Undisclosed)], Converter);
        Assert.Equal(100m, total.Usd);
        Assert.Equal(2, total.UndisclosedCount);
        Assert.True(total.IsLowerBound);
    }

    [Fact]
    public void A_range_adds_its_lower_bound_and_makes_the_total_a_floor()
    {
        var total = FundingTotal.Sum([Usd(Disclosure.Range, min: 1_000m), Usd(Disclosure.Disclosed, 10m)], Converter);
        Assert.Equal(1_010m, total.Usd);
        Assert.Equal(1, total.RangeCount);
        Assert.True(total.IsLowerBound);
    }

    [Fact]
    public void Only_undisclosed_rounds_have_no_amount_at_all()
    {
        var total = FundingTotal.Sum([Usd(Disclosure.Undisclosed)], Converter);
        Assert.False(total.HasAnyAmount);
    }

    [Fact]
    public void A_currency_without_rates_is_reported_not_dropped()
    {
        var total = FundingTotal.Sum([new RoundAmount(Disclosure.Disclosed, "EUR", 5m, null, null, DatePrecision.Day)], Converter);
        Assert.Equal(1, total.UnconvertedCount);
        Assert.False(total.HasAnyAmount);
    }
}

using AiLandscape.Web.Features.ExchangeRates;

namespace AiLandscape.Tests.Features.ExchangeRates;

public class CurrencyConverterTests
{
    private static readonly CurrencyConverter Converter = new([
        new ExchangeRateRow("CNY", new DateOnly(2024, 3, 1), 7.2015m, "FRED"),
        new ExchangeRateRow("CNY", new DateOnly(2024, 6, 1), 7.2547m, "FRED"),
        new ExchangeRateRow("CNY", new DateOnly(2024, 9, 1), 7.0760m, "FRED"),
    ]);

    [Fact]
    public void Usd_stays_as_reported()
    {
        var c = Converter.ToUsd(500_000_000m, "USD", new DateOnly(2025, 12, 31))!;
        Assert.Equal(500_000_000m, c.Usd);
        Assert.False(c.IsApproximate);
    }

    [Fact]
    public void The_figures_own_month_is_exact()
    {
        var c = Converter.ToUsd(5_000_000_000m, "CNY", new DateOnly(2024, 6, 20))!;
        Assert.Equal(Math.Round(5_000_000_000m / 7.2547m), c.Usd);
        Assert.Equal(new DateOnly(2024, 6, 1), c.RateMonth);
        Assert.False(c.IsApproximate);
    }

    [Fact]
    public void A_missing_month_uses_the_nearest_earlier_one_and_says_so()
    {
        var c = Converter.ToUsd(5_000_000_000m, "CNY", new DateOnly(2024, 7, 15))!;
        Assert.Equal(new DateOnly(2024, 6, 1), c.RateMonth);
        Assert.True(c.IsApproximate);
        Assert.Contains("nearest month", c.Basis);
    }

    [Fact]
    public void A_figure_before_the_series_uses_its_first_month_flagged()
    {
        var c = Converter.ToUsd(40_000_000m, "CNY", new DateOnly(2019, 1, 1))!;
        Assert.Equal(new DateOnly(2024, 3, 1), c.RateMonth);
        Assert.True(c.IsApproximate);
    }

    [Fact]
    public void A_year_precision_figure_converts_at_the_average_of_the_years_stored_months_and_names_them()
    {
        // Dated "2024": the mean of Mar, Jun and Sep 2024, not the rate of January's nearest earlier month.
        var c = Converter.ToUsd(5_000_000_000m, "CNY", new DateOnly(2024, 1, 1), AiLandscape.Web.Data.DatePrecision.Year)!;
        var average = Math.Round((7.2015m + 7.2547m + 7.0760m) / 3, 4);
        Assert.Equal(Math.Round(5_000_000_000m / average), c.Usd);
        Assert.Equal(average, c.UnitsPerUsd);
        Assert.True(c.IsApproximate);
        Assert.Equal($"{average} CNY/USD, 2024 average of the stored monthly rates (Mar, Jun, Sep; FRED)", c.Basis);
    }

    [Fact]
    public void A_quarter_precision_figure_converts_at_the_quarters_stored_months()
    {
        var c = Converter.ToUsd(1_000_000_000m, "CNY", new DateOnly(2024, 7, 1), AiLandscape.Web.Data.DatePrecision.Quarter)!;
        Assert.Equal(Math.Round(1_000_000_000m / 7.0760m), c.Usd);
        Assert.Contains("Q3 2024 average of the stored monthly rates (Sep", c.Basis);
    }

    [Fact]
    public void A_date_past_the_last_stored_rate_says_which_months_rate_was_used()
    {
        var c = Converter.ToUsd(5_000_000_000m, "CNY", new DateOnly(2026, 1, 9))!;
        Assert.Equal(new DateOnly(2024, 9, 1), c.RateMonth);
        Assert.True(c.IsApproximate);
        Assert.Equal("7.0760 CNY/USD, Sep 2024 average (FRED): the latest stored rate, used for Jan 2026", c.Basis);
    }

    [Fact]
    public void Hkd_without_a_stored_rate_uses_the_peg_flagged()
    {
        var c = Converter.ToUsd(7_800_000_000m, "HKD", new DateOnly(2026, 1, 9))!;
        Assert.Equal(1_000_000_000m, c.Usd);
        Assert.True(c.IsApproximate);
        Assert.Contains("peg", c.Basis);
    }

    [Fact]
    public void A_currency_without_any_rate_cannot_be_converted() =>
        Assert.Null(Converter.ToUsd(1m, "EUR", new DateOnly(2024, 6, 1)));

    [Fact]
    public void The_latest_rate_toggle_converts_every_figure_at_the_newest_month_and_says_so()
    {
        var latest = Converter.In(RateMode.Latest);
        var c = latest.ToUsd(5_000_000_000m, "CNY", new DateOnly(2024, 3, 10))!;
        Assert.Equal(new DateOnly(2024, 9, 1), c.RateMonth);
        Assert.Equal(Math.Round(5_000_000_000m / 7.0760m), c.Usd);
        Assert.False(c.IsApproximate);
        Assert.Contains("latest stored rate", c.Basis);
        Assert.Equal(RateMode.FigureDate, Converter.Mode); // the original is unchanged
    }

    [Fact]
    public void The_latest_rate_toggle_leaves_usd_alone_and_still_flags_the_hkd_peg()
    {
        var latest = Converter.In(RateMode.Latest);
        Assert.Equal(100m, latest.ToUsd(100m, "USD", null)!.Usd);
        Assert.True(latest.ToUsd(7.8m, "HKD", null)!.IsApproximate);
    }
}

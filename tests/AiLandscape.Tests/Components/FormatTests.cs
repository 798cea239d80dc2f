using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Tests.Components;

public class FormatTests
{
    [Theory]
    [InlineData(1_200_000_000, "USD", FigureQualifier.Exact, "US$1.2B")]
    [InlineData(4_190_000_000, "HKD", FigureQualifier.Exact, "HK$4.19B")]
    [InlineData(5_000_000_000, "CNY", FigureQualifier.Exact, "¥5B")]
    [InlineData(500_000_000, "USD", FigureQualifier.Exact, "US$500M")]
    [InlineData(30_500_000, "USD", FigureQualifier.Exact, "US$30.5M")]
    [InlineData(6_500_000_000, "USD", FigureQualifier.Approximate, "~US$6.5B")]
    [InlineData(1_000_000_000, "USD", FigureQualifier.AtLeast, ">US$1B")]
    [InlineData(750, "EUR", FigureQualifier.Exact, "€750")]
    [InlineData(2_000_000, "CHF", FigureQualifier.Exact, "CHF 2M")]
    [InlineData(999_999_999, "USD", FigureQualifier.Exact, "US$1B")]
    [InlineData(689_208_375, "USD", FigureQualifier.Exact, "US$689M")]
    public void Money_is_compact_and_keeps_its_currency(double amount, string currency, FigureQualifier q, string expected) =>
        Assert.Equal(expected, Format.Money((decimal)amount, currency, q));

    [Theory]
    [InlineData(DatePrecision.Year, "2022")]
    [InlineData(DatePrecision.Quarter, "Q1 2022")]
    [InlineData(DatePrecision.Month, "Mar 2022")]
    [InlineData(DatePrecision.Day, "9 Mar 2022")]
    public void Dates_show_only_the_precision_the_source_gave(DatePrecision precision, string expected) =>
        Assert.Equal(expected, Format.Date(new DateOnly(2022, 3, 9), precision));

    [Fact]
    public void A_missing_date_says_so() =>
        Assert.Equal("date not reported", Format.Date(null, DatePrecision.Day));

    [Fact]
    public void A_total_with_undisclosed_rounds_is_a_floor_and_counts_them()
    {
        var total = new FundingTotal(1_180_000_000m, RoundCount: 6, UndisclosedCount: 2, RangeCount: 1,
            EstimatedCount: 0, UnconvertedCount: 0, UsesApproximateRates: false);
        Assert.Equal("≥ US$1.18B; 2 rounds undisclosed", Format.Total(total));
    }

    [Fact]
    public void A_total_of_only_undisclosed_rounds_is_never_zero()
    {
        var total = new FundingTotal(0m, 3, 3, 0, 0, 0, false);
        Assert.Equal("Undisclosed (3 rounds)", Format.Total(total));
        Assert.DoesNotContain("0", Format.Total(total).Replace("(3", "", StringComparison.Ordinal));
    }

    [Fact]
    public void No_rounds_is_said_in_words() =>
        Assert.Equal("No rounds recorded", Format.Total(new FundingTotal(0m, 0, 0, 0, 0, 0, false)));

    [Fact]
    public void A_total_reads_the_same_as_in_the_lists_whatever_its_rates_and_counts_estimated_rounds_in_its_notes()
    {
        // Baichuan's ¥5B of Jul 2024 converts at the nearest stored month: the lists' stored figure cannot say so, so
        // no page marks the figure itself ("~US$1.04B" on the profile beside "US$1.04B" on /companies).
        var approximateRates = new FundingTotal(1_039_208_375m, 3, 0, 0, 0, 0, UsesApproximateRates: true);
        Assert.Equal("US$1.04B", Format.Total(approximateRates));
        Assert.Equal(Format.TotalRaisedShort(new CompanyFigures { TotalRaisedUsd = 1_039_208_375m, RoundCount = 3 }), Format.Total(approximateRates));
        Assert.Equal("US$690M; 1 round estimated", Format.Total(new FundingTotal(690_000_000m, 2, 0, 0, 1, 0, false)));
        Assert.Equal("≥ US$1.18B", Format.TotalFigure(1_180_000_000m, isFloor: true));
    }
}

using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Tests.Features.Rounds;

public class RoundQueryTests
{
    private static RoundQuery RoundTrip(RoundQuery q)
    {
        var p = q.ToQueryParameters();
        string? S(string key) => p[key] as string;
        string[]? A(string key) => p[key] as string[];
        return RoundQuery.FromQueryString(S("from"), S("to"), A("stage"), S("min"), S("max"), A("disclosure"),
            S("company"), S("investor"), A("currency"), S("sort"), S("dir"), S("page"), S("size"));
    }

    [Fact]
    public void Every_filter_sort_and_page_survives_the_query_string()
    {
        var q = new RoundQuery
        {
            From = new DateOnly(2023, 1, 1), To = new DateOnly(2024, 6, 30),
            Stages = [RoundStage.SeriesA, RoundStage.SeriesB], MinUsdMillions = 100, MaxUsdMillions = 2500.5m,
            Disclosures = [Disclosure.Disclosed, Disclosure.Range], Company = "月之暗面", Investor = "Tencent",
            Currencies = ["CNY", "USD"], Sort = RoundSort.Amount, Descending = false, Page = 2, PageSize = 50,
        };

        var back = RoundTrip(q);

        Assert.Equal(q.From, back.From);
        Assert.Equal(q.To, back.To);
        Assert.Equal(q.Stages, back.Stages);
        Assert.Equal(q.MinUsdMillions, back.MinUsdMillions);
        Assert.Equal(q.MaxUsdMillions, back.MaxUsdMillions);
        Assert.Equal(q.Disclosures, back.Disclosures);
        Assert.Equal(q.Company, back.Company);
        Assert.Equal(q.Investor, back.Investor);
        Assert.Equal(q.Currencies, back.Currencies);
        Assert.Equal(q.Sort, back.Sort);
        Assert.Equal(q.Descending, back.Descending);
        Assert.Equal(q.Page, back.Page);
        Assert.Equal(q.PageSize, back.PageSize);
        Assert.Equal(q.FilterKey, back.FilterKey);
        Assert.Equal("3", q.ToQueryParameters()["page"]); // one-based in the address
    }

    [Fact]
    public void Defaults_stay_out_of_the_address()
    {
        Assert.All(new RoundQuery().ToQueryParameters(), p => Assert.Null(p.Value));
        Assert.Equal("", new RoundQuery().FilterKey);
        Assert.False(new RoundQuery().HasFilters);
    }

    [Fact]
    public void Unreadable_values_are_ignored_rather_than_failing_the_page()
    {
        var q = RoundQuery.FromQueryString("yesterday", "2024-13-45", ["SeriesZ", "seriesb"], "lots", "-5",
            ["Maybe"], "  ", null, ["usd", "dollars", "X1Y"], "nonsense", "sideways", "0", "7");

        Assert.Null(q.From);
        Assert.Null(q.To);
        Assert.Equal([RoundStage.SeriesB], q.Stages);
        Assert.Null(q.MinUsdMillions);
        Assert.Null(q.MaxUsdMillions);
        Assert.Empty(q.Disclosures);
        Assert.Null(q.Company);
        Assert.Equal(["USD"], q.Currencies);
        Assert.Equal(RoundSort.Date, q.Sort);
        Assert.True(q.Descending);
        Assert.Equal(0, q.Page);
        Assert.Equal(RoundQuery.DefaultPageSize, q.PageSize);
    }

    [Fact]
    public void Changing_a_filter_changes_the_filter_key_but_sorting_and_paging_do_not()
    {
        var q = new RoundQuery { Currencies = ["CNY"] };
        Assert.Equal(q.FilterKey, (q with { Page = 3, Sort = RoundSort.Stage, PageSize = 10 }).FilterKey);
        Assert.NotEqual(q.FilterKey, (q with { Currencies = ["CNY", "HKD"] }).FilterKey);
        Assert.Equal("", q.WithoutFilters().FilterKey);
    }
}

public class RoundFormatTests
{
    [Theory]
    [InlineData(1_000_000_000d, null, "USD", "≥ US$1B")]
    [InlineData(100_000_000d, 999_999_999d, "USD", "US$100M–1B")]
    [InlineData(100_000_000d, 999_999_999d, "CNY", "¥100M–1B")]
    [InlineData(null, 200_000_000d, "USD", "≤ US$200M")]
    [InlineData(30_000_000d, 31_000_000d, "USD", "US$30M–31M")]
    public void Ranges_read_as_bounds(double? min, double? max, string currency, string expected) =>
        Assert.Equal(expected, RoundFormat.Range((decimal?)min, (decimal?)max, currency));

    [Theory]
    [InlineData(999_999_999d, "1B")]
    [InlineData(999_999d, "1M")]
    [InlineData(150_000_000d, "150M")]
    [InlineData(4_190_000_000d, "4.19B")]
    public void Bounds_just_under_a_unit_carry_into_it(double amount, string expected) =>
        Assert.Equal(expected, Format.Compact((decimal)amount));
}

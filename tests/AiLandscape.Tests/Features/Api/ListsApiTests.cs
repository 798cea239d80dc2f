using System.Globalization;
using System.Net;
using System.Text.Json;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Tests.Features.Api;

/// <summary>The contract of the other lists: rounds with every /rounds filter, investors, valuations, events, models, sources, rates.</summary>
public class ListsApiTests(ApiApp api) : IClassFixture<ApiApp>
{
    private Task<ApiResponse> Get(string path) => ApiResponse.GetAsync(api.Client, path);

    [Fact]
    public async Task Rounds_page_with_total_and_next_and_undisclosed_sizes_null()
    {
        var all = (await Get("/api/v1/rounds?pageSize=100")).Ok();
        Assert.Equal(27, all.Total);
        Assert.Equal(JsonValueKind.Null, all.Json.GetProperty("next").ValueKind);
        var undisclosed = all.Items.Where(r => r.GetProperty("size").GetProperty("disclosure").GetString() == "Undisclosed").ToList();
        Assert.NotEmpty(undisclosed);
        Assert.All(undisclosed, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("size").GetProperty("amount").ValueKind));
        var first = all.Items.First();
        Assert.False(string.IsNullOrEmpty(first.GetProperty("company").GetProperty("slug").GetString()));
        Assert.Contains(first.GetProperty("stage").GetString(), Enum.GetNames<RoundStage>());

        var page = (await Get("/api/v1/rounds?stage=Strategic&pageSize=1&page=2")).Ok();
        Assert.Equal(2, page.Json.GetProperty("page").GetInt32());
        Assert.Single(page.Items);
        Assert.Equal("/api/v1/rounds?stage=Strategic&pageSize=1&page=3", page.Json.GetProperty("next").GetString());
        var beyond = (await Get("/api/v1/rounds?page=50")).Ok();
        Assert.Empty(beyond.Items);
        Assert.Equal(27, beyond.Total);
    }

    [Fact]
    public async Task Every_round_filter_gives_what_the_rounds_page_service_gives()
    {
        var service = api.Service<RoundService>();
        var cases = new (string Query, RoundQuery Expected)[]
        {
            ("from=2024-01-01", new RoundQuery { From = new DateOnly(2024, 1, 1) }),
            ("to=2023-12-31", new RoundQuery { To = new DateOnly(2023, 12, 31) }),
            ("stage=SeriesA&stage=seriesb", new RoundQuery { Stages = [RoundStage.SeriesA, RoundStage.SeriesB] }),
            ("stage=Strategic,Ipo", new RoundQuery { Stages = [RoundStage.Strategic, RoundStage.Ipo] }),
            ("min=500", new RoundQuery { MinUsdMillions = 500 }),
            ("max=100", new RoundQuery { MaxUsdMillions = 100 }),
            ("disclosure=Undisclosed", new RoundQuery { Disclosures = [Disclosure.Undisclosed] }),
            ("disclosure=Range,Estimated", new RoundQuery { Disclosures = [Disclosure.Range, Disclosure.Estimated] }),
            ("company=zhipu", new RoundQuery { Company = "zhipu" }),
            ("investor=tencent", new RoundQuery { Investor = "tencent" }),
            ("currency=cny", new RoundQuery { Currencies = ["CNY"] }),
            ("currency=HKD,CNY", new RoundQuery { Currencies = ["CNY", "HKD"] }),
            ("sort=amount", new RoundQuery { Sort = RoundSort.Amount, Descending = true }),
            ("sort=company&dir=desc", new RoundQuery { Sort = RoundSort.Company, Descending = true }),
            ("sort=stage", new RoundQuery { Sort = RoundSort.Stage, Descending = false }),
            ("dir=asc", new RoundQuery { Descending = false }),
        };
        foreach (var (query, expected) in cases)
        {
            var response = (await Get("/api/v1/rounds?pageSize=100&" + query)).Ok();
            var fromService = await service.ListAsync(expected with { PageSize = 100 });
            var ids = response.Items.Select(r => r.GetProperty("id").GetInt32()).ToList();
            Assert.True(fromService.Items.Select(r => r.Id).SequenceEqual(ids),
                $"{query}: API {string.Join(",", ids)}; service {string.Join(",", fromService.Items.Select(r => r.Id))}");
            Assert.Equal(fromService.TotalCount, response.Total);
            if (!query.StartsWith("sort", StringComparison.Ordinal) && !query.StartsWith("dir", StringComparison.Ordinal))
            {
                Assert.True(response.Total is > 0 and < 27, $"{query} should narrow the list, got {response.Total}");
            }
        }
    }

    [Fact]
    public async Task Investors_list_and_profile()
    {
        var list = (await Get("/api/v1/investors?pageSize=5&sort=rounds&desc=true")).Ok();
        Assert.Equal(47, list.Total);
        Assert.Equal("/api/v1/investors?pageSize=5&sort=rounds&desc=true&page=2", list.Json.GetProperty("next").GetString());
        var counts = list.Items.Select(i => i.GetProperty("roundCount").GetInt32()).ToList();
        Assert.Equal(counts.OrderDescending(), counts);

        var filtered = (await Get("/api/v1/investors?kind=StateBackedFund")).Ok();
        Assert.InRange(filtered.Total, 1, 46);
        Assert.All(filtered.Items, i => Assert.Equal("StateBackedFund", i.GetProperty("kind").GetString()));
        Assert.Contains("tencent", (await Get("/api/v1/investors?q=tencnet")).Ok().Strings(i => i.GetProperty("slug")));

        var alibaba = (await Get("/api/v1/investors/alibaba")).Ok().Json;
        Assert.Equal("alibaba", alibaba.GetProperty("slug").GetString());
        Assert.Contains("alibaba-cloud", alibaba.GetProperty("units").EnumerateArray().Select(u => u.GetProperty("slug").GetString()));
        var rounds = alibaba.GetProperty("rounds").EnumerateArray().ToList();
        Assert.NotEmpty(rounds);
        Assert.Contains(rounds, r => r.GetProperty("via").GetArrayLength() > 0);
        Assert.All(rounds, r => Assert.Contains(r.GetProperty("size").GetProperty("disclosure").GetString(), Enum.GetNames<Disclosure>()));
        Assert.NotEmpty(alibaba.GetProperty("coInvestors").EnumerateArray());
        Assert.NotEmpty(alibaba.GetProperty("citations").EnumerateArray());
        Assert.Equal(JsonValueKind.Object, alibaba.GetProperty("figures").GetProperty("latestInvestment").ValueKind);
    }

    [Fact]
    public async Task Valuations_of_named_companies()
    {
        var response = (await Get("/api/v1/valuations?companies=moonshot-ai,minimax")).Ok();
        Assert.Equal(9, response.Total);
        Assert.All(response.Items, v => Assert.Contains(v.GetProperty("company").GetProperty("slug").GetString(), new[] { "moonshot-ai", "minimax" }));
        var v = response.Items.First();
        Assert.Contains(v.GetProperty("valued").GetProperty("precision").GetString(), Enum.GetNames<DatePrecision>());
        Assert.True(v.GetProperty("value").GetProperty("amount").GetDecimal() > 0);
        Assert.Contains(v.GetProperty("basis").GetString(), Enum.GetNames<ValuationBasis>());
        var dates = response.Items.Select(x => DateOnly.Parse(x.GetProperty("valued").GetProperty("date").GetString()!, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(dates.OrderDescending(), dates);

        Assert.Equal(9, (await Get("/api/v1/valuations?companies=moonshot-ai&companies=minimax")).Ok().Total);
        Assert.Equal(17, (await Get("/api/v1/valuations")).Ok().Total);
    }

    [Fact]
    public async Task Events_models_sources_and_exchange_rates()
    {
        var events = (await Get("/api/v1/events?companies=01-ai")).Ok();
        Assert.Equal(5, events.Total);
        Assert.Contains(events.Items, e => e.GetProperty("kind").GetString() == "Pivot");
        Assert.Equal("01-ai", events.Items.First().GetProperty("company").GetProperty("slug").GetString());
        var pivots = (await Get("/api/v1/events?kind=Pivot")).Ok();
        Assert.InRange(pivots.Total, 1, 17);
        Assert.All(pivots.Items, e => Assert.Equal("Pivot", e.GetProperty("kind").GetString()));
        Assert.Equal(18, (await Get("/api/v1/events")).Ok().Total);

        var models = (await Get("/api/v1/models?companies=deepseek")).Ok();
        Assert.Equal(4, models.Total);
        var model = models.Items.First();
        Assert.False(string.IsNullOrEmpty(model.GetProperty("name").GetString()));
        Assert.Contains(model.GetProperty("released").GetProperty("precision").GetString(), Enum.GetNames<DatePrecision>());
        var open = (await Get("/api/v1/models?openWeights=true")).Ok();
        Assert.InRange(open.Total, 1, 23);
        Assert.All(open.Items, m => Assert.True(m.GetProperty("openWeights").GetBoolean()));

        var sources = (await Get("/api/v1/sources?pageSize=10")).Ok();
        Assert.True(sources.Total > 10);
        Assert.NotNull(sources.Json.GetProperty("next").GetString());
        Assert.False(sources.Json.GetProperty("totalIsLowerBound").GetBoolean()); // the seed's count is exact
        Assert.All(sources.Items, s => Assert.True(s.GetProperty("citationCount").GetInt32() >= 0));
        var reuters = (await Get("/api/v1/sources?q=reuters")).Ok();
        Assert.InRange(reuters.Total, 1, sources.Total - 1);

        var rates = (await Get("/api/v1/exchange-rates?currency=cny&pageSize=100")).Ok();
        Assert.True(rates.Total > 0);
        Assert.All(rates.Items, r =>
        {
            Assert.Equal("CNY", r.GetProperty("currency").GetString());
            Assert.Matches(@"^\d{4}-\d{2}$", r.GetProperty("month").GetString());
            Assert.True(r.GetProperty("unitsPerUsd").GetDecimal() > 6);
        });
        Assert.True((await Get("/api/v1/exchange-rates")).Ok().Total >= rates.Total);
    }

    [Fact]
    public async Task A_post_to_a_read_endpoint_is_not_answered_with_html() =>
        Assert.Equal("application/problem+json",
            (await api.Client.PostAsync("/api/v1/companies", new StringContent("{}"))).Content.Headers.ContentType?.MediaType);

    [Fact]
    public void A_capped_total_still_links_the_next_page_while_pages_are_full()
    {
        var request = new Microsoft.AspNetCore.Http.DefaultHttpContext().Request;
        request.Path = "/api/v1/sources";
        request.QueryString = new Microsoft.AspNetCore.Http.QueryString("?q=news&page=400");
        var full = Web.Features.Api.ApiPaging.Page(request, Enumerable.Range(0, 25).ToList(), CappedCount.Cap, 400, 25, totalIsLowerBound: true);
        Assert.True(full.TotalIsLowerBound);
        Assert.Equal("/api/v1/sources?q=news&page=401", full.Next);
        var last = Web.Features.Api.ApiPaging.Page(request, Enumerable.Range(0, 7).ToList(), CappedCount.Cap, 401, 25, totalIsLowerBound: true);
        Assert.Null(last.Next);
    }
}

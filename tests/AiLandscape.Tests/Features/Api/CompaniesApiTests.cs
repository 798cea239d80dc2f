using System.Net;
using System.Text.Json;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;

namespace AiLandscape.Tests.Features.Api;

/// <summary>The contract of /api/v1/companies: shape, paging, every filter of /companies, the profile, errors.</summary>
public class CompaniesApiTests(ApiApp api) : IClassFixture<ApiApp>
{
    private Task<ApiResponse> Get(string path) => ApiResponse.GetAsync(api.Client, path);

    [Fact]
    public async Task The_list_is_camel_case_json_with_total_page_and_a_next_link()
    {
        var first = (await Get("/api/v1/companies?pageSize=3")).Ok();
        Assert.Equal(7, first.Total);
        Assert.Equal(1, first.Json.GetProperty("page").GetInt32());
        Assert.Equal(3, first.Json.GetProperty("pageSize").GetInt32());
        Assert.Equal(3, first.Items.Count());
        Assert.Equal("/api/v1/companies?pageSize=3&page=2", first.Json.GetProperty("next").GetString());

        var second = (await Get(first.Json.GetProperty("next").GetString()!)).Ok();
        Assert.Equal("/api/v1/companies?pageSize=3&page=3", second.Json.GetProperty("next").GetString());
        var last = (await Get(second.Json.GetProperty("next").GetString()!)).Ok();
        Assert.Single(last.Items);
        Assert.Equal(JsonValueKind.Null, last.Json.GetProperty("next").ValueKind);
        var slugs = first.Strings(i => i.GetProperty("slug")).Concat(second.Strings(i => i.GetProperty("slug")))
            .Concat(last.Strings(i => i.GetProperty("slug"))).ToList();
        Assert.Equal(7, slugs.Distinct().Count());

        Assert.Equal(7, (await Get("/api/v1/companies?q=&sector=")).Ok().Total); // empty texts filter nothing
        var moonshot = (await Get("/api/v1/companies?q=moonshot")).Ok().Items.First();
        Assert.Equal("moonshot-ai", moonshot.GetProperty("slug").GetString());
        Assert.Equal("Private", moonshot.GetProperty("status").GetString());
        var founded = moonshot.GetProperty("founded");
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}$", founded.GetProperty("date").GetString());
        Assert.Contains(founded.GetProperty("precision").GetString(), Enum.GetNames<DatePrecision>());
        Assert.True(moonshot.GetProperty("figures").GetProperty("totalRaisedUsd").GetDecimal() > 0);
        Assert.False(moonshot.TryGetProperty("Slug", out _));
    }

    [Fact]
    public async Task Every_filter_and_sort_of_the_directory_gives_what_the_page_service_gives()
    {
        var service = api.Service<CompanyService>();
        var facets = await service.FacetsAsync();
        var cases = new (string Query, CompanyQuery Expected)[]
        {
            ("q=zhipu", new CompanyQuery { Search = "zhipu" }),
            ("q=月之暗面", new CompanyQuery { Search = "月之暗面" }),
            ($"sector={Uri.EscapeDataString(facets.Sectors[0])}", new CompanyQuery { Sector = facets.Sectors[0], Sort = CompanySort.Name }),
            ($"city={Uri.EscapeDataString(facets.Cities[0])}", new CompanyQuery { City = facets.Cities[0], Sort = CompanySort.Name }),
            ($"group={Uri.EscapeDataString(facets.Groups[0])}", new CompanyQuery { Group = facets.Groups[0], Sort = CompanySort.Name }),
            ("status=public", new CompanyQuery { Status = CompanyStatus.Public, Sort = CompanySort.Name }),
            ("from=2023", new CompanyQuery { FoundedFrom = 2023, Sort = CompanySort.Name }),
            ("to=2022", new CompanyQuery { FoundedTo = 2022, Sort = CompanySort.Name }),
            ("rmin=1000", new CompanyQuery { RaisedMinMillions = 1000, Sort = CompanySort.Name }),
            ("rmax=1000", new CompanyQuery { RaisedMaxMillions = 1000, Sort = CompanySort.Name }),
            ("sort=raised&desc=true", new CompanyQuery { Sort = CompanySort.TotalRaised, Descending = true }),
            ("sort=founded", new CompanyQuery { Sort = CompanySort.Founded }),
            ("sort=valuation&desc=true", new CompanyQuery { Sort = CompanySort.LatestValuation, Descending = true }),
        };
        foreach (var (query, expected) in cases)
        {
            var response = (await Get("/api/v1/companies?" + query)).Ok();
            var fromService = await service.SearchAsync(expected with { PageSize = 25 });
            Assert.True(fromService.Items.Select(r => r.Slug).SequenceEqual(response.Strings(i => i.GetProperty("slug"))),
                $"{query}: API {string.Join(",", response.Strings(i => i.GetProperty("slug")))}; " +
                $"service {string.Join(",", fromService.Items.Select(r => r.Slug))}");
            Assert.Equal(fromService.TotalCount, response.Total);
            if (!query.StartsWith("sort", StringComparison.Ordinal))
            {
                Assert.True(response.Total is > 0 and < 7, $"{query} should narrow the list, got {response.Total}");
            }
        }
    }

    [Fact]
    public async Task The_profile_has_rounds_with_investors_valuations_events_models_people_and_citations()
    {
        var p = (await Get("/api/v1/companies/01-ai")).Ok().Json;
        Assert.Equal("01-ai", p.GetProperty("slug").GetString());
        Assert.NotEmpty(p.GetProperty("nameZh").GetString()!);
        var person = p.GetProperty("people").EnumerateArray().First();
        Assert.NotEmpty(person.GetProperty("roles").EnumerateArray().Select(r => r.GetProperty("kind").GetString()));

        // The undisclosed round: no amount at all, never 0, and its date as precise as the source gave it.
        var undisclosed = p.GetProperty("rounds").EnumerateArray()
            .Single(r => r.GetProperty("size").GetProperty("disclosure").GetString() == "Undisclosed");
        Assert.Equal(JsonValueKind.Null, undisclosed.GetProperty("size").GetProperty("amount").ValueKind);
        Assert.Equal("2023-11-01", undisclosed.GetProperty("announced").GetProperty("date").GetString());
        Assert.Equal("Month", undisclosed.GetProperty("announced").GetProperty("precision").GetString());
        var investor = undisclosed.GetProperty("investors").EnumerateArray().First();
        Assert.False(string.IsNullOrEmpty(investor.GetProperty("slug").GetString()));
        Assert.Contains(investor.GetProperty("isLead").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });

        Assert.NotEmpty(p.GetProperty("valuations").EnumerateArray());
        var valuation = p.GetProperty("valuations").EnumerateArray().First();
        Assert.True(valuation.GetProperty("value").GetProperty("amount").GetDecimal() > 0);
        Assert.Equal(3, valuation.GetProperty("value").GetProperty("currency").GetString()!.Length);
        Assert.NotEmpty(p.GetProperty("events").EnumerateArray());
        Assert.NotEmpty(p.GetProperty("models").EnumerateArray());

        var citations = p.GetProperty("citations").EnumerateArray().ToList();
        Assert.NotEmpty(citations);
        Assert.Contains(citations, c => c.GetProperty("recordType").GetString() == "FundingRound"
                                        && c.GetProperty("recordId").GetInt32() == undisclosed.GetProperty("id").GetInt32());
        Assert.All(citations, c => Assert.False(string.IsNullOrEmpty(c.GetProperty("title").GetString())));
    }

    [Fact]
    public async Task Amounts_in_other_currencies_carry_their_usd_equivalent_with_the_rate_and_its_month()
    {
        var p = (await Get("/api/v1/companies/baichuan")).Ok().Json;
        var cny = p.GetProperty("rounds").EnumerateArray()
            .Single(r => r.GetProperty("size").GetProperty("amount") is { ValueKind: JsonValueKind.Object } a
                         && a.GetProperty("currency").GetString() == "CNY");
        var amount = cny.GetProperty("size").GetProperty("amount");
        Assert.Equal(5_000_000_000m, amount.GetProperty("amount").GetDecimal());
        Assert.Equal("5000000000", amount.GetProperty("amount").GetRawText()); // as reported, not 5000000000.0000
        var usd = amount.GetProperty("usd");
        Assert.True(usd.GetProperty("unitsPerUsd").GetDecimal() is > 6 and < 8);
        Assert.Matches(@"^\d{4}-\d{2}$", usd.GetProperty("rateMonth").GetString());
        Assert.Equal(Math.Round(5_000_000_000m / usd.GetProperty("unitsPerUsd").GetDecimal(), 0), usd.GetProperty("amount").GetDecimal());

        // Figures reported in US dollars need no conversion.
        var moonshot = (await Get("/api/v1/companies/moonshot-ai")).Ok().Json;
        var usdRound = moonshot.GetProperty("rounds").EnumerateArray()
            .First(r => r.GetProperty("size").GetProperty("amount").ValueKind == JsonValueKind.Object);
        Assert.Equal(JsonValueKind.Null, usdRound.GetProperty("size").GetProperty("amount").GetProperty("usd").ValueKind);
    }

    [Fact]
    public async Task An_unknown_slug_is_a_404_problem()
    {
        var response = (await Get("/api/v1/companies/no-such-company")).Problem(HttpStatusCode.NotFound);
        Assert.Contains("no-such-company", response.Json.GetProperty("detail").GetString());
        Assert.Equal("/api/v1/companies/no-such-company", response.Json.GetProperty("instance").GetString());
        (await Get("/api/v1/investors/no-such-investor")).Problem(HttpStatusCode.NotFound);
        (await Get("/api/v1/no-such-endpoint")).Problem(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/v1/companies?pageSize=abc", "pageSize")]
    [InlineData("/api/v1/companies?pageSize=1000", "pageSize")]
    [InlineData("/api/v1/companies?page=-1", "page")]
    [InlineData("/api/v1/companies?page=0", "page")]
    [InlineData("/api/v1/companies?page=1&page=2", "page")]
    [InlineData("/api/v1/companies?sort=bogus", "sort")]
    [InlineData("/api/v1/companies?status=Sleeping", "status")]
    [InlineData("/api/v1/companies?from=abc", "from")]
    [InlineData("/api/v1/companies?desc=maybe", "desc")]
    [InlineData("/api/v1/companies?serch=kimi", "serch")]
    [InlineData("/api/v1/companies/deepseek?expand=all", "expand")]
    [InlineData("/api/v1/rounds?stage=SeriesZ", "stage")]
    [InlineData("/api/v1/rounds?stage=SeriesA,Bogus", "stage")]
    [InlineData("/api/v1/rounds?from=2024-13-01", "from")]
    [InlineData("/api/v1/rounds?min=lots", "min")]
    [InlineData("/api/v1/rounds?sort=size", "sort")]
    [InlineData("/api/v1/rounds?dir=up", "dir")]
    [InlineData("/api/v1/rounds?currency=dollars", "currency")]
    [InlineData("/api/v1/investors?kind=Bank", "kind")]
    [InlineData("/api/v1/valuations?companies=no-such-company", "companies")]
    [InlineData("/api/v1/events?kind=Party", "kind")]
    [InlineData("/api/v1/models?openWeights=yes", "openWeights")]
    [InlineData("/api/v1/sources?pageSize=0", "pageSize")]
    [InlineData("/api/v1/exchange-rates?currency=US", "currency")]
    public async Task An_unknown_or_malformed_parameter_is_a_400_problem_naming_it(string path, string parameter) =>
        (await Get(path)).Problem(HttpStatusCode.BadRequest, parameter);
}

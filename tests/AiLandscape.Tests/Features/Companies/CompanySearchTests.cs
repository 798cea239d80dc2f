using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Companies;

/// <summary>The /companies directory's search, facets, sorting and paging, on the seed data in real PostgreSQL.</summary>
public class CompanySearchTests : IAsyncLifetime
{
    private ServiceProvider _services = null!;
    private CompanyService _service = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("company_search"));
        _service = new CompanyService(_services.GetRequiredService<IDbContextFactory<AppDbContext>>());
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private async Task<List<string>> Slugs(CompanyQuery q) =>
        (await _service.SearchAsync(q)).Items.Select(r => r.Slug).ToList();

    [Theory]
    [InlineData("deepsek", "deepseek")]          // typo
    [InlineData("DEEPSEEK", "deepseek")]         // case
    [InlineData("月之暗面", "moonshot-ai")]       // Chinese name
    [InlineData("yue zhi an mian", "moonshot-ai")] // pinyin split differently
    [InlineData("yuezhi anmian", "moonshot-ai")]
    [InlineData("kimi", "moonshot-ai")]          // alias
    [InlineData("Knowledge Atlas", "zhipu-ai")]  // legal name
    [InlineData("北京智谱华章", "zhipu-ai")]       // Chinese legal name, partial
    [InlineData("Zhìpǔ", "zhipu-ai")]            // accents
    [InlineData("零一万物", "01-ai")]
    [InlineData("minimx", "minimax")]            // typo
    [InlineData("阶跃", "stepfun")]               // partial Chinese
    [InlineData("baichaun", "baichuan")]         // two letters swapped
    [InlineData("zhpu", "zhipu-ai")]             // a letter left out
    [InlineData("01ai", "01-ai")]                // without the dot
    public async Task Search_finds_a_company_by_any_of_its_names(string text, string expected)
    {
        var found = await Slugs(new CompanyQuery { Search = text });
        Assert.Contains(expected, found);
        Assert.Equal(expected, found[0]);
    }

    [Fact]
    public async Task A_search_with_no_match_returns_nothing_rather_than_everything()
    {
        Assert.Empty(await Slugs(new CompanyQuery { Search = "qwertyuiop" }));
        Assert.Empty(await Slugs(new CompanyQuery { Search = "100%_" })); // LIKE wildcards are escaped
    }

    [Fact]
    public async Task A_search_with_no_match_suggests_the_nearest_names_among_the_filtered_companies()
    {
        var none = await _service.SearchAsync(new CompanyQuery { Search = "zhpux", City = "Beijing" });
        Assert.Empty(none.Items);
        Assert.Equal("Zhipu AI", none.Suggestions[0]);
        // Zhipu AI is not in Shanghai: following it there would find nothing again.
        Assert.DoesNotContain("Zhipu AI", (await _service.SearchAsync(new CompanyQuery { Search = "zhpux", City = "Shanghai" })).Suggestions);
        Assert.Empty((await _service.SearchAsync(new CompanyQuery { Search = "qwertyuiop" })).Suggestions);
        Assert.Empty((await _service.SearchAsync(new CompanyQuery { Search = "zhipu" })).Suggestions); // found: none offered
    }

    [Fact]
    public async Task Facets_filter_by_city_status_group_sector_and_founding_year()
    {
        Assert.Equal(["deepseek"], await Slugs(new CompanyQuery { City = "Hangzhou" }));
        Assert.Equal(["minimax", "zhipu-ai"], (await Slugs(new CompanyQuery { Status = CompanyStatus.Public })).Order());
        Assert.Equal(6, (await Slugs(new CompanyQuery { Group = "Six Tigers" })).Count);
        Assert.DoesNotContain("deepseek", await Slugs(new CompanyQuery { Group = "Six Tigers" }));
        Assert.Equal(["zhipu-ai"], await Slugs(new CompanyQuery { FoundedTo = 2020 }));
        Assert.Equal(["minimax"], await Slugs(new CompanyQuery { FoundedFrom = 2021, FoundedTo = 2022 }));

        var facets = await _service.FacetsAsync();
        Assert.Contains("Beijing", facets.Cities);
        Assert.Contains("Six Tigers", facets.Groups);
        var sector = facets.Sectors.First();
        Assert.All((await _service.SearchAsync(new CompanyQuery { Sector = sector })).Items, r => Assert.Contains(sector, r.Sectors));
    }

    [Fact]
    public async Task Total_raised_range_uses_the_stored_usd_totals()
    {
        // Moonshot ≥ US$2.5B; Zhipu ≥ US$1.44B; MiniMax ≥ US$1.18B; Baichuan US$1.04B; StepFun ≥ US$797M.
        Assert.Equal(["moonshot-ai"], await Slugs(new CompanyQuery { RaisedMinMillions = 2000 }));
        var between = await Slugs(new CompanyQuery { RaisedMinMillions = 1000, RaisedMaxMillions = 1500 });
        Assert.Equal(["baichuan", "minimax", "zhipu-ai"], between.Order());
        // Companies with nothing disclosed (01.AI) or no rounds (DeepSeek) have no total and never match a range.
        Assert.DoesNotContain("deepseek", await Slugs(new CompanyQuery { RaisedMaxMillions = 100000 }));
        Assert.DoesNotContain("01-ai", await Slugs(new CompanyQuery { RaisedMaxMillions = 100000 }));
    }

    [Fact]
    public async Task Sorting_by_total_raised_and_valuation_puts_unknowns_last()
    {
        var byRaised = await Slugs(new CompanyQuery { Sort = CompanySort.TotalRaised, Descending = true });
        Assert.Equal("moonshot-ai", byRaised[0]);
        Assert.Equal(["01-ai", "deepseek"], byRaised.TakeLast(2).Order());

        var byValuation = await Slugs(new CompanyQuery { Sort = CompanySort.LatestValuation, Descending = true });
        Assert.Equal(["deepseek", "stepfun"], byValuation.TakeLast(2).Order()); // no valuation reported
        Assert.Equal(["minimax", "zhipu-ai"], byValuation.Take(2).Order()); // both ~US$6.5B at their IPOs

        var byName = await Slugs(new CompanyQuery { Sort = CompanySort.Name });
        Assert.Equal(["01-ai", "baichuan", "deepseek", "minimax", "moonshot-ai", "stepfun", "zhipu-ai"], byName);
    }

    [Fact]
    public async Task Paging_is_done_in_sql_and_pages_do_not_overlap()
    {
        var first = await _service.SearchAsync(new CompanyQuery { Sort = CompanySort.Name, PageSize = 3, Page = 0 });
        var third = await _service.SearchAsync(new CompanyQuery { Sort = CompanySort.Name, PageSize = 3, Page = 2 });
        Assert.Equal(7, first.TotalCount);
        Assert.Equal(3, first.Items.Count);
        Assert.Single(third.Items);
        Assert.Empty(first.Items.Select(i => i.Slug).Intersect(third.Items.Select(i => i.Slug)));
    }
}

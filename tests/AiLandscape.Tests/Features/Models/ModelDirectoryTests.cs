using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Models;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Models;

/// <summary>The /models directory's query against the seeded dataset (24 releases of 7 companies) in a real PostgreSQL.</summary>
public class ModelDirectoryTests : IAsyncLifetime
{
    private readonly SqlCommandCounter _counter = new();
    private ServiceProvider _services = null!;
    private ModelDirectoryService _service = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _services = TestPostgres.BuildServices(await pg.CreateDatabaseAsync("model_directory"), _counter);
        _service = new ModelDirectoryService(_services.GetRequiredService<IDbContextFactory<AppDbContext>>());
    }

    public async Task DisposeAsync() => await _services.DisposeAsync();

    private async Task<List<ModelRow>> AllAsync(ModelQuery query) =>
        (await _service.ListAsync(query with { PageSize = 100 })).Items.ToList();

    [Fact]
    public async Task Every_release_is_listed_newest_first_with_its_company_and_undated_ones_last()
    {
        _counter.Reset();
        var page = await _service.ListAsync(new ModelQuery());
        Assert.Equal(2, _counter.Count); // count and page, company names joined in
        Assert.Equal(24, page.TotalCount);
        Assert.Equal(24, page.Items.Count);
        Assert.Equal("GLM-5", page.Items[0].Name);
        Assert.Equal(("zhipu-ai", "智谱", DatePrecision.Month), (page.Items[0].CompanySlug, page.Items[0].CompanyNameZh, page.Items[0].Precision));
        Assert.Equal("Yi-1.5", page.Items[^1].Name); // no date recorded
        var dated = page.Items.Where(m => m.ReleasedOn is not null).Select(m => m.ReleasedOn!.Value).ToList();
        Assert.Equal(dated.OrderDescending(), dated);
        Assert.Equal("/companies/deepseek#model-" + page.Items.Single(m => m.Name == "DeepSeek-R1").Id,
            page.Items.Single(m => m.Name == "DeepSeek-R1").TimelineHref);
    }

    [Fact]
    public async Task Filters_by_company_year_open_weights_and_licence_combine_in_sql()
    {
        Assert.Equal(["DeepSeek-V3-0324", "DeepSeek-R1", "DeepSeek-V3", "DeepSeek-V2"],
            (await AllAsync(new ModelQuery { Company = "deepseek" })).Select(m => m.Name));
        Assert.Equal(11, (await _service.ListAsync(new ModelQuery { Year = 2025 })).TotalCount);
        Assert.Equal(11, (await _service.ListAsync(new ModelQuery { OpenWeights = OpenWeightsFilter.Yes })).TotalCount);
        Assert.Equal(["Kimi chatbot"], (await AllAsync(new ModelQuery { OpenWeights = OpenWeightsFilter.No })).Select(m => m.Name));
        var unknown = await AllAsync(new ModelQuery { OpenWeights = OpenWeightsFilter.Unknown });
        Assert.Equal(12, unknown.Count);
        Assert.All(unknown, m => Assert.Null(m.OpenWeights));

        // The open-weights releases of 2025 under MIT.
        var mit = await AllAsync(new ModelQuery { Year = 2025, OpenWeights = OpenWeightsFilter.Yes, Licence = "MIT" });
        Assert.Equal(["GLM-4.5", "DeepSeek-V3-0324", "Step-Video-T2V", "DeepSeek-R1"], mit.Select(m => m.Name));
        Assert.Empty(await AllAsync(new ModelQuery { Company = "01-ai", Year = 2025 }));
        Assert.Empty(await AllAsync(new ModelQuery { Licence = "mit" })); // a licence is matched as recorded
    }

    [Fact]
    public async Task Sorts_put_unreported_values_last_in_both_directions()
    {
        var byLicence = await AllAsync(new ModelQuery { Sort = ModelSort.Licence, Descending = false });
        Assert.Equal("Apache-2.0", byLicence[0].Licence);
        var licenced = byLicence.TakeWhile(m => m.Licence is not null).Count();
        Assert.All(byLicence.Skip(licenced), m => Assert.Null(m.Licence));
        var byLicenceDesc = await AllAsync(new ModelQuery { Sort = ModelSort.Licence, Descending = true });
        Assert.Equal("Yi License", byLicenceDesc[0].Licence);
        Assert.Null(byLicenceDesc[^1].Licence);

        var oldest = await AllAsync(new ModelQuery { Sort = ModelSort.Released, Descending = false });
        Assert.Equal("GLM-130B", oldest[0].Name);
        Assert.Equal("Yi-1.5", oldest[^1].Name);

        var byCompany = await AllAsync(new ModelQuery { Sort = ModelSort.Company, Descending = false });
        Assert.Equal("01.AI", byCompany[0].CompanyNameEn);
        Assert.Equal("Zhipu AI", byCompany[^1].CompanyNameEn);

        var open = await AllAsync(new ModelQuery { Sort = ModelSort.OpenWeights, Descending = true });
        Assert.Equal(true, open[0].OpenWeights);
        Assert.Null(open[^1].OpenWeights);
    }

    [Fact]
    public async Task Pages_are_cut_in_sql_and_neither_overlap_nor_skip()
    {
        var pages = new List<ModelRow>();
        for (var i = 0; i < 3; i++)
        {
            var page = await _service.ListAsync(new ModelQuery { Sort = ModelSort.Name, PageSize = 10, Page = i });
            Assert.Equal(24, page.TotalCount);
            Assert.Equal(i < 2 ? 10 : 4, page.Items.Count);
            pages.AddRange(page.Items);
        }
        Assert.Equal(24, pages.DistinctBy(m => m.Id).Count());
    }

    [Fact]
    public async Task The_filters_offer_only_values_some_release_has()
    {
        _counter.Reset();
        var facets = await _service.FacetsAsync();
        Assert.Equal(3, _counter.Count);
        Assert.Equal(7, facets.Companies.Count);
        Assert.Equal([2026, 2025, 2024, 2023, 2022], facets.Years);
        Assert.Contains("MIT", facets.Licences);
        Assert.Contains("Modified MIT", facets.Licences);
        Assert.Equal(facets.Licences.Distinct().Count(), facets.Licences.Count);
    }

    [Theory]
    [InlineData(null, null, null, null, null, ModelSort.Released, true)]
    [InlineData("DeepSeek", "2025", "yes", "MIT", "name", ModelSort.Name, false)]
    [InlineData(null, "x", "maybe", " ", "licence-desc", ModelSort.Licence, true)]
    [InlineData(null, null, "unknown", null, "released", ModelSort.Released, false)]
    public void The_url_round_trips_the_view(string? company, string? year, string? open, string? licence, string? sort,
        ModelSort expectedSort, bool expectedDescending)
    {
        var query = ModelDirectoryUrl.Parse(company, year, open, licence, sort, 2);
        Assert.Equal((expectedSort, expectedDescending, 1), (query.Sort, query.Descending, query.Page));
        var p = ModelDirectoryUrl.Parameters(query);
        var again = ModelDirectoryUrl.Parse((string?)p["company"], p["year"]?.ToString(), (string?)p["open"],
            (string?)p["licence"], (string?)p["sort"], (int?)p["page"]);
        Assert.Equal(query, again);
    }
}

using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Dashboard;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Models;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Hosting;

namespace AiLandscape.Tests.Features.Dashboard;

/// <summary>
/// The dashboard and the facet pickers are computed once per data version (ADR 0023): a reader sees an edit at once,
/// and a view as of a day never gets today's figures.
/// </summary>
public class ChangeKeyedCacheTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("change_keyed_cache");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A reader's service as the app makes it (DI gives it the app's one cache).</summary>
    private async Task<T> ReaderAsync<T>() where T : notnull => await _app.ServiceAsAsync<T>(null);

    private async Task AddDeepSeekRoundAsync()
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var r = (await service.NewAsync("deepseek"))!.Request;
        r.AnnouncedOn = "2025-06";
        r.LabelAsAnnounced = "A轮";
        r.Stage = RoundStage.SeriesA;
        r.Currency = "USD";
        r.Amount = 700_000_000m;
        r.Sources = [new SourceInput { Url = "https://example.com/deepseek-a", Title = "DeepSeek raises", Publisher = "Example News", PublishedOn = "2025-06-01" }];
        var saved = await service.SaveAsync(r);
        Assert.True(saved.Succeeded, string.Join(" | ", saved.Errors.Select(e => e.Message)));
    }

    [Fact]
    public async Task The_dashboard_is_computed_once_and_shows_a_new_round_on_the_next_view()
    {
        var before = await (await ReaderAsync<DashboardService>()).GetAsync();
        var again = await (await ReaderAsync<DashboardService>()).GetAsync();
        Assert.Same(before, again); // a second view (another reader, or the circuit after the prerender) runs no query

        await AddDeepSeekRoundAsync();
        var after = await (await ReaderAsync<DashboardService>()).GetAsync();

        var deepSeek2025 = after.Funding.Where(f => f.Year == 2025 && f.CompanySlug == "deepseek").ToList();
        Assert.Equal(700_000_000m, deepSeek2025.Sum(f => f.Usd) - before.Funding.Where(f => f.Year == 2025 && f.CompanySlug == "deepseek").Sum(f => f.Usd));
        Assert.Equal(before.Funding.Sum(f => f.Rounds) + 1, after.Funding.Sum(f => f.Rounds));
        Assert.Equal("deepseek", after.LatestRounds.First(r => r.AnnouncedOn == new DateOnly(2025, 6, 1)).CompanySlug);
    }

    [Fact]
    public async Task The_rounds_count_and_total_are_kept_per_filter_set_and_follow_an_edit_at_once()
    {
        var all = await (await ReaderAsync<RoundService>()).ListAsync(new RoundQuery());
        var deepSeek = await (await ReaderAsync<RoundService>()).ListAsync(new RoundQuery { Company = "deepseek" });
        Assert.True(deepSeek.TotalCount < all.TotalCount); // another filter set, another total
        // Another page or sort of the same filters: the same count and total.
        var byAmount = await (await ReaderAsync<RoundService>()).ListAsync(new RoundQuery { Sort = RoundSort.Amount, PageSize = 10 });
        Assert.Equal(all.TotalCount, byAmount.TotalCount);
        Assert.Equal(all.Total.Usd, byAmount.Total.Usd);

        await AddDeepSeekRoundAsync();
        var allAfter = await (await ReaderAsync<RoundService>()).ListAsync(new RoundQuery());
        var deepSeekAfter = await (await ReaderAsync<RoundService>()).ListAsync(new RoundQuery { Company = "DeepSeek " });
        Assert.Equal(all.TotalCount + 1, allAfter.TotalCount);
        Assert.Equal(all.Total.Usd + 700_000_000m, allAfter.Total.Usd);
        Assert.Equal(deepSeek.TotalCount + 1, deepSeekAfter.TotalCount);
    }

    [Fact]
    public async Task The_directory_and_model_pickers_and_the_company_count_show_an_edit_on_the_next_view()
    {
        var facets = await (await ReaderAsync<CompanyService>()).FacetsAsync();
        var models = await (await ReaderAsync<ModelDirectoryService>()).FacetsAsync();
        var list = await (await ReaderAsync<CompanyService>()).ListAsync(0, 5);
        Assert.DoesNotContain("Suzhou", facets.Cities);
        Assert.DoesNotContain("Test-Licence-1.0", models.Licences);

        var companies = await _app.ServiceAsAsync<CompanyEditService>(EditingApp.Admin);
        var company = (await companies.EditAsync("moonshot-ai"))!.Request;
        company.HeadquartersCity = "Suzhou";
        Assert.True((await companies.SaveAsync(company)).Succeeded);
        var modelEdits = await _app.ServiceAsAsync<ModelEditService>(EditingApp.Editor);
        var model = (await modelEdits.NewAsync("deepseek"))!.Request;
        model.Name = "DeepSeek-Cache-Test";
        model.ReleasedOn = "2025-02-01";
        model.Licence = "Test-Licence-1.0";
        model.Sources = [new SourceInput { Url = "https://example.com/deepseek-model", Title = "DeepSeek releases", Publisher = "Example News", PublishedOn = "2025-02-01" }];
        var savedModel = await modelEdits.SaveAsync(model);
        Assert.True(savedModel.Succeeded, string.Join(" | ", savedModel.Errors.Select(e => e.Message)));
        var newCompany = new CompanyRequest
        {
            Slug = "cache-test-ai", NameEn = "Cache Test AI", FoundedOn = "2024",
            Sectors = "Foundation models", Groups = "", HeadquartersCity = "Beijing", Summary = "A test company.",
            Sources = [new SourceInput { Url = "https://example.com/cache-test", Title = "Cache Test AI founded", Publisher = "Example News", PublishedOn = "2024-01-01" }],
        };
        var savedCompany = await companies.SaveAsync(newCompany);
        Assert.True(savedCompany.Succeeded, string.Join(" | ", savedCompany.Errors.Select(e => e.Message)));

        Assert.Contains("Suzhou", (await (await ReaderAsync<CompanyService>()).FacetsAsync()).Cities);
        Assert.Contains("Test-Licence-1.0", (await (await ReaderAsync<ModelDirectoryService>()).FacetsAsync()).Licences);
        Assert.Equal(list.TotalCount + 1, (await (await ReaderAsync<CompanyService>()).ListAsync(0, 5)).TotalCount);
        Assert.Equal(list.TotalCount + 1, (await (await ReaderAsync<CompanyService>()).SearchAsync(new CompanyQuery { Sort = CompanySort.Name })).TotalCount);
    }

    [Fact]
    public async Task A_view_as_of_a_day_is_not_served_todays_figures_nor_today_its_figures()
    {
        var cache = _app.App.Services.GetRequiredService<ChangeKeyedCache>();
        var asOf = new AsOfView(new DateOnly(2024, 1, 1), AsOfMode.EventTime);
        DashboardService AsOf() => new(_app.App.Services.GetRequiredService<AsOfContexts>().For(asOf), cache);

        var today = await (await ReaderAsync<DashboardService>()).GetAsync();
        var then = await AsOf().GetAsync();
        var todayAgain = await (await ReaderAsync<DashboardService>()).GetAsync();

        Assert.Contains(today.Funding, f => f.Year >= 2025);
        Assert.All(then.Funding, f => Assert.True(f.Year <= 2024));
        Assert.True(then.Funding.Sum(f => f.Rounds) < today.Funding.Sum(f => f.Rounds));
        Assert.Same(today, todayAgain);
        Assert.Same(then, await AsOf().GetAsync()); // the copy of that day is cached under its own name

        // After an edit the day's view is rebuilt from a new copy and shows what that day knew.
        await AddDeepSeekRoundAsync();
        var thenAfter = await AsOf().GetAsync();
        Assert.Equal(then.Funding.Sum(f => f.Rounds), thenAfter.Funding.Sum(f => f.Rounds));
        Assert.Equal(today.Funding.Sum(f => f.Rounds) + 1, (await (await ReaderAsync<DashboardService>()).GetAsync()).Funding.Sum(f => f.Rounds));
    }
}

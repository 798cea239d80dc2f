using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Compare;
using AiLandscape.Web.Features.Dashboard;
using AiLandscape.Web.Features.Disputes;
using AiLandscape.Web.Features.Events;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Export;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Features.Models;
using AiLandscape.Web.Features.People;
using AiLandscape.Web.Features.RoundLabels;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Search;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Features.Valuations;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Benchmarks;

/// <summary>What a case is held to (see ADR 0019).</summary>
public enum CaseKind
{
    /// <summary>A list, search or grid: p95 at the large scale ≤ 1.2 × p95 at 1×, and never above 100 ms.</summary>
    List,
    /// <summary>A company or investor profile: at most 4 SQL commands per render.</summary>
    Profile,
    /// <summary>A whole-table download: measured, no target.</summary>
    Export,
    /// <summary>What another case is held against (an edit before kept history): measured, no target of its own.</summary>
    Reference,
    /// <summary>A view as of a day (issue 13): p95 at the large scale ≤ 2 × its <see cref="BenchCase.Today"/> case's there.</summary>
    AsOf,
}

/// <summary>One thing a page or an API call does, run against one database.</summary>
public sealed record BenchCase(string Name, CaseKind Kind, Func<BenchDatabase, Task> Run)
{
    /// <summary>For an as-of case: the case of the same view today, measured before it.</summary>
    public string? Today { get; init; }

    /// <summary>How many times <see cref="Today"/>'s p95 the case may take.</summary>
    public double Limit { get; init; } = BenchmarkRunner.AsOfLimit;
}

/// <summary>
/// Every query behind every page and API list, called the way the page or endpoint calls it: the pages' services
/// with the pages' arguments, the API's own handlers with a request carrying the query string.
/// </summary>
public static class Cases
{
    public static IReadOnlyList<BenchCase> All()
    {
        var cases = new List<BenchCase>();
        void List(string name, Func<BenchDatabase, Task> run) => cases.Add(new BenchCase(name, CaseKind.List, run));

        // Home: the company list (page 1) and the dashboard panels beside it.
        List("home list", d => new CompanyService(d.Factory, d.Cache).ListAsync(0, 25));
        List("home list page 40", d => new CompanyService(d.Factory, d.Cache).ListAsync(39, 25));
        List("dashboard", d => new DashboardService(d.Factory, d.Cache).GetAsync());
        // The first view after an edit on any instance: the change counter moves, the cached figures are recomputed.
        List("dashboard after an edit", d => AfterAnEdit(d, () => new DashboardService(d.Factory, d.Cache).GetAsync()));

        // /companies: the facet pickers, each sort, each facet, each kind of search.
        List("directory facets", d => new CompanyService(d.Factory, d.Cache).FacetsAsync());
        List("directory facets after an edit", d => AfterAnEdit(d, () => new CompanyService(d.Factory, d.Cache).FacetsAsync()));
        foreach (var (sort, desc) in new[]
                 {
                     (CompanySort.Name, false), (CompanySort.Name, true), (CompanySort.Founded, true), (CompanySort.City, false),
                     (CompanySort.TotalRaised, true), (CompanySort.LatestValuation, true), (CompanySort.LastRound, true),
                 })
        {
            List($"directory sort {sort}{(desc ? " desc" : "")}", d => Directory(d, new CompanyQuery { Sort = sort, Descending = desc }));
        }
        List("directory page 40", d => Directory(d, new CompanyQuery { Sort = CompanySort.Name, Page = 39 }));
        List("directory facet sector", d => Directory(d, new CompanyQuery { Sort = CompanySort.Name, Sector = "Foundation models" }));
        List("directory facet city", d => Directory(d, new CompanyQuery { Sort = CompanySort.Name, City = "Beijing" }));
        List("directory facet group", d => Directory(d, new CompanyQuery { Sort = CompanySort.Name, Group = "Six Tigers" }));
        List("directory facet status", d => Directory(d, new CompanyQuery { Sort = CompanySort.Name, Status = CompanyStatus.Public }));
        List("directory facet founded 2020-2023", d => Directory(d, new CompanyQuery { Sort = CompanySort.Name, FoundedFrom = 2020, FoundedTo = 2023 }));
        List("directory facet raised 100-1000M", d => Directory(d, new CompanyQuery { Sort = CompanySort.TotalRaised, Descending = true, RaisedMinMillions = 100, RaisedMaxMillions = 1000 }));
        List("directory facets combined", d => Directory(d, new CompanyQuery { Sort = CompanySort.TotalRaised, Descending = true, City = "Beijing", Sector = "Foundation models", Status = CompanyStatus.Private }));
        foreach (var (label, text) in SearchTerms)
        {
            List($"directory search {label} '{text}'", d => Directory(d, new CompanyQuery { Search = text }));
        }

        // The search box (five per kind) and the /search page (twenty per kind).
        // The box answers a one-character term with a hint and no query, so it has no case of its own.
        foreach (var (label, text) in SearchTerms.Where(t => t.Label != "1 char"))
        {
            List($"search box {label} '{text}'", d => new SearchService(d.Factory).SearchAsync(text));
        }
        List("search page typo 'moonshoot'", d => new SearchService(d.Factory).SearchAsync("moonshoot", SearchService.PageLimit));
        // Nothing matches: every kind's typo scan, then "did you mean" (ADR 0031).
        List("search box no match 'zhpux'", d => new SearchService(d.Factory).SearchAsync("zhpux"));
        List("directory search no match 'zhpux'", d => Directory(d, new CompanyQuery { Search = "zhpux" }));
        List("search page 2 chars '智能'", d => new SearchService(d.Factory).SearchAsync("智能", SearchService.PageLimit));

        // Profiles.
        cases.Add(new BenchCase("company profile moonshot-ai", CaseKind.Profile, d => new CompanyService(d.Factory, d.Cache).GetProfileAsync("moonshot-ai")));
        cases.Add(new BenchCase("company profile deepseek", CaseKind.Profile, d => new CompanyService(d.Factory, d.Cache).GetProfileAsync("deepseek")));
        cases.Add(new BenchCase("investor profile, largest", CaseKind.Profile, d => new InvestorService(d.Factory).GetProfileAsync(d.LargestInvestor)));

        // /investors: each sort (the page's default direction for it), a search and a kind.
        foreach (var sort in Enum.GetValues<InvestorSort>())
        {
            var desc = sort is InvestorSort.Companies or InvestorSort.Rounds or InvestorSort.Leads or InvestorSort.LatestInvestment;
            List($"investor list sort {sort}", d => new InvestorService(d.Factory).ListAsync(new InvestorQuery { Sort = sort, Descending = desc }));
        }
        List("investor list search 'capital'", d => new InvestorService(d.Factory).ListAsync(new InvestorQuery { Search = "capital" }));
        List("investor list kind StateBackedFund", d => new InvestorService(d.Factory).ListAsync(new InvestorQuery { Kind = InvestorKind.StateBackedFund }));

        // /rounds: filter options, each sort, each filter (each answer carries the count and the total).
        List("rounds filter options", d => new RoundService(d.Factory).GetFilterOptionsAsync());
        foreach (var sort in Enum.GetValues<RoundSort>())
        {
            List($"rounds sort {sort}", d => Rounds(d, new RoundQuery { Sort = sort, Descending = RoundQuery.DefaultDescending(sort) }));
        }
        List("rounds page 40", d => Rounds(d, new RoundQuery { Page = 39 }));
        // The count and total are kept per filter set and data version: the first view after an edit pays for them.
        List("rounds sort Date after an edit", d => AfterAnEdit(d, () => Rounds(d, new RoundQuery())));
        List("rounds filter investor 'tencent' after an edit", d => AfterAnEdit(d, () => Rounds(d, new RoundQuery { Investor = "tencent" })));
        List("rounds filter dates 2023", d => Rounds(d, new RoundQuery { From = new DateOnly(2023, 1, 1), To = new DateOnly(2023, 12, 31) }));
        List("rounds filter stage SeriesA+B", d => Rounds(d, new RoundQuery { Stages = [RoundStage.SeriesA, RoundStage.SeriesB] }));
        List("rounds filter amount >= 100M USD", d => Rounds(d, new RoundQuery { MinUsdMillions = 100, Sort = RoundSort.Amount }));
        List("rounds filter undisclosed", d => Rounds(d, new RoundQuery { Disclosures = [Disclosure.Undisclosed] }));
        List("rounds filter company 'moonshot'", d => Rounds(d, new RoundQuery { Company = "moonshot" }));
        List("rounds filter investor 'tencent'", d => Rounds(d, new RoundQuery { Investor = "tencent" }));
        List("rounds filter currency USD", d => Rounds(d, new RoundQuery { Currencies = ["USD"] }));

        // /compare with eight companies, and its company picker.
        List("compare 8 companies", d => new CompareService(d.Factory).CompareAsync(d.CompareSlugs, RateMode.FigureDate));
        List("compare picker 'mo'", d => new CompareService(d.Factory).FindCompaniesAsync("mo"));

        // Disputes, unverified, history, people, models, sources.
        List("disputes open", d => Disputes(d).ListAsync(DisputeStatus.Open));
        List("disputes all page 5", d => Disputes(d).ListAsync(DisputeStatus.All, page: 5));
        List("unverified", d => Disputes(d).UnverifiedAsync());
        // The /history page and the History tabs read change sets, worded, with the records they name.
        List("history", d => new HistoryService(d.Factory, d.Writer).ListChangeSetsAsync(new HistoryQuery()));
        List("history page 40", d => new HistoryService(d.Factory, d.Writer).ListChangeSetsAsync(new HistoryQuery(Page: 39)));
        List("history of a record type", d => new HistoryService(d.Factory, d.Writer).ListChangeSetsAsync(new HistoryQuery(RecordType: RecordType.Company)));
        List("history entries", d => new HistoryService(d.Factory, d.Writer).ListAsync(new HistoryQuery()));
        List("people list", d => new PersonService(d.Factory).ListAsync(new PersonQuery()));
        List("people search 'wang'", d => new PersonService(d.Factory).ListAsync(new PersonQuery { Search = "wang" }));
        List("models facets", d => new ModelDirectoryService(d.Factory, d.Cache).FacetsAsync());
        List("models facets after an edit", d => AfterAnEdit(d, () => new ModelDirectoryService(d.Factory, d.Cache).FacetsAsync()));
        List("models list", d => new ModelDirectoryService(d.Factory, d.Cache).ListAsync(new ModelQuery()));
        List("models list open weights", d => new ModelDirectoryService(d.Factory, d.Cache).ListAsync(new ModelQuery { OpenWeights = OpenWeightsFilter.Yes, Sort = ModelSort.Name, Descending = false }));
        List("sources list", d => new SourceEditService(d.Factory, d.Writer).ListAsync(new SourceListQuery()));
        List("sources search 'reuters'", d => new SourceEditService(d.Factory, d.Writer).ListAsync(new SourceListQuery("reuters")));

        // Each API list, through its own handler.
        List("api companies", d => CompaniesApi.ListCompanies(Request(""), new CompanyService(d.Factory, d.Cache), default));
        List("api companies q=moonshot", d => CompaniesApi.ListCompanies(Request("?q=moonshot"), new CompanyService(d.Factory, d.Cache), default));
        List("api investors", d => InvestorsApi.ListInvestors(Request(""), new InvestorService(d.Factory), default));
        List("api rounds", d => RoundsApi.ListRounds(Request(""), new RoundService(d.Factory, d.Cache), default));
        List("api rounds sort=amount", d => RoundsApi.ListRounds(Request("?sort=Amount"), new RoundService(d.Factory, d.Cache), default));
        List("api valuations", d => ValuationsApi.ListValuations(Request(""), new CompanyService(d.Factory, d.Cache), default));
        List("api events", d => EventsApi.ListEvents(Request(""), new CompanyService(d.Factory, d.Cache), default));
        List("api models", d => ModelsApi.ListModels(Request(""), new CompanyService(d.Factory, d.Cache), default));
        List("api sources", d => SourcesApi.ListSources(Request(""), new SourceEditService(d.Factory, d.Writer), default));
        List("api exchange-rates", d => ExchangeRatesApi.ListExchangeRates(Request(""), new ExchangeRateEditService(d.Factory, d.Writer), default));
        List("api search q=zhineng", d => SearchApi.Search(Request("?q=zhineng"), new SearchService(d.Factory), default));

        // Each export, written to nowhere (what it costs the server, not the network).
        void Export(string name, Func<ExportService, Task> run) =>
            cases.Add(new BenchCase(name, CaseKind.Export, d => run(new ExportService(d.Factory))));
        Export("export companies.csv", e => e.WriteCompaniesCsvAsync(Stream.Null, default));
        Export("export investors.csv", e => e.WriteInvestorsCsvAsync(Stream.Null, default));
        Export("export rounds.csv", e => e.WriteRoundsCsvAsync(Stream.Null, new RoundQuery(), default));
        Export("export models.csv", e => e.WriteModelsCsvAsync(Stream.Null, new ModelQuery(), default));
        Export("export dataset.json", e => e.WriteDatasetJsonAsync(Stream.Null, default));

        // An edit (one valuation's amount, through its editing service), without and then with the kept history's
        // triggers: issue 13 holds the second to 1.5 × the first.
        cases.Add(new BenchCase("edit a valuation without kept history", CaseKind.Reference, async d =>
        {
            await d.KeepHistoryAsync(false);
            await EditValuationAsync(d);
        }));
        cases.Add(new BenchCase("edit a valuation", CaseKind.AsOf, async d =>
        {
            await d.KeepHistoryAsync(true);
            await EditValuationAsync(d);
        }) { Today = "edit a valuation without kept history", Limit = 1.5 });

        // An edit that moves the figures of the investor with most rounds: its stored figures and event-time spans are
        // recomputed from all its participations (ADR 0021, 0033). Measured, no target.
        cases.Add(new BenchCase("edit a round of the most active investor", CaseKind.Reference, EditRoundAsync));

        // As of a day, in both senses: each sample asks for a day not asked for before (nothing cached for it).
        foreach (var mode in new[] { AsOfMode.EventTime, AsOfMode.KnowledgeTime })
        {
            var sense = mode == AsOfMode.EventTime ? "event" : "knowledge";
            void AsOf(string today, Func<BenchDatabase, IDbContextFactory<AppDbContext>, Task> run) => cases.Add(
                new BenchCase($"{today} as of a new day ({sense})", CaseKind.AsOf, d => run(d, d.AsOf(NextDay(mode)))) { Today = today });
            AsOf("home list", (d, f) => new CompanyService(f, d.Cache).ListAsync(0, 25));
            AsOf("dashboard after an edit", (d, f) => new DashboardService(f, d.Cache).GetAsync());
            AsOf("company profile moonshot-ai", (d, f) => new CompanyService(f, d.Cache).GetProfileAsync("moonshot-ai"));
            AsOf("compare 8 companies", (d, f) => new CompareService(f).CompareAsync(d.CompareSlugs, RateMode.FigureDate));
        }
        return cases;
    }

    private static int _edits;

    private static async Task EditValuationAsync(BenchDatabase d)
    {
        var service = new ValuationEditService(d.Factory, d.Writer);
        var form = (await service.EditAsync(d.EditedValuation))!.Request;
        form.Amount = 1_000_000_000m + Interlocked.Increment(ref _edits);
        var saved = await service.SaveAsync(form);
        if (!saved.Succeeded)
        {
            throw new InvalidOperationException("The edit was refused: " + string.Join(" | ", saved.Errors.Select(e => e.Message)));
        }
    }

    private static async Task EditRoundAsync(BenchDatabase d)
    {
        var service = new RoundEditService(d.Factory, d.Writer, new RoundLabelService(d.Factory, d.Writer));
        var form = (await service.EditAsync(d.EditedRound))!.Request;
        var investor = form.Participations.First(p => p.InvestorId == d.LargestInvestorId);
        investor.IsLead = !investor.IsLead;
        var saved = await service.SaveAsync(form);
        if (!saved.Succeeded)
        {
            throw new InvalidOperationException("The edit was refused: " + string.Join(" | ", saved.Errors.Select(e => e.Message)));
        }
    }

    private static int _days;

    /// <summary>A different day on each call, between 2020 and yesterday (knowledge) or 2020 and 2026 (event).</summary>
    private static AsOfView NextDay(AsOfMode mode)
    {
        var n = Interlocked.Increment(ref _days);
        var first = new DateOnly(2020, 1, 1);
        var span = DateOnly.FromDateTime(DateTime.UtcNow).DayNumber - first.DayNumber;
        return new AsOfView(first.AddDays(n * 7 % span), mode);
    }

    /// <summary>The directory's and the search box's kinds of search: all match seed records at every scale.</summary>
    private static readonly (string Label, string Text)[] SearchTerms =
    [
        ("Latin", "moonshot"),
        ("Chinese", "月之暗面"),
        ("pinyin", "yuezhi anmian"),
        ("typo", "moonshoot"),
        ("typo one letter", "zhpu"),
        ("1 char", "月"),
        ("2 chars", "AI"),
        ("2 chars Chinese", "智能"),
    ];

    /// <summary>Moves the change counter as an audited save does (without its cost), then runs the case.</summary>
    private static async Task AfterAnEdit(BenchDatabase d, Func<Task> run)
    {
        await using (var conn = new NpgsqlConnection(d.ConnectionString))
        {
            await conn.OpenAsync();
            await using var bump = new NpgsqlCommand("UPDATE change_counter SET value = value + 1 WHERE id = 1", conn);
            await bump.ExecuteNonQueryAsync();
        }
        await run();
    }

    private static Task Directory(BenchDatabase d, CompanyQuery q) => new CompanyService(d.Factory, d.Cache).SearchAsync(q);

    private static Task Rounds(BenchDatabase d, RoundQuery q) => new RoundService(d.Factory, d.Cache).ListAsync(q);

    // The list is public; the unverified page is for editors (its service checks), so an editor reads both.
    private static DisputeService Disputes(BenchDatabase d) => new(d.Factory, d.Writer, d.Editor, d.Cache);

    private static HttpRequest Request(string query)
    {
        var http = new DefaultHttpContext();
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("localhost");
        http.Request.Path = "/api/v1/list";
        http.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return http.Request;
    }
}

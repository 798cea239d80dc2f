using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Search;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Companies;

/// <param name="cache">
/// Given (by DI) to the services that read today's data: the facet pickers and the number of companies are computed
/// once per data version (ADR 0023). Services over an as-of view are made without one.
/// </param>
public sealed class CompanyService([FromKeyedServices(ReplicaReads.Key)] IDbContextFactory<AppDbContext> factory,
    ChangeKeyedCache? cache = null)
{
    /// <summary>
    /// A page of companies with their latest valuation and total raised, in five SQL commands whatever the page
    /// size: the data version (or the count), the page (read in name order from its index), the page's latest
    /// valuations, its rounds, and the exchange rates.
    /// </summary>
    public async Task<PagedResult<CompanyListItem>> ListAsync(int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, 200);
        page = Math.Max(page, 0);
        await using var db = await factory.CreateDbContextAsync(ct);

        var total = await CountAllAsync(db, ct);
        var rows = await db.Companies.AsNoTracking()
            .OrderBy(c => c.NameEn).ThenBy(c => c.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(c => new { c.Id, c.Slug, c.NameEn, c.NameZh, c.HeadquartersCity, c.Status, c.ListingVenue, c.Ticker, c.Groups })
            .ToListAsync(ct);

        var ids = rows.Select(r => r.Id).ToList();
        // Only the page's companies: picking each company's latest in SQL numbered every valuation in the table.
        var latestById = (await db.ValuationPoints.AsNoTracking()
                .Where(v => ids.Contains(v.CompanyId) && !v.IsUnverified)
                .Select(v => new { v.Id, v.CompanyId, v.Amount, v.Currency, v.Qualifier, v.Basis, v.ValuedOn, v.Precision })
                .ToListAsync(ct))
            .GroupBy(v => v.CompanyId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(v => v.ValuedOn).ThenByDescending(v => v.Id).First());
        var rounds = await CountedRounds(db.FundingRounds.AsNoTracking().Where(r => ids.Contains(r.CompanyId)))
            .Select(r => new { r.CompanyId, Amount = new RoundAmount(r.Disclosure, r.Currency, r.Amount, r.AmountMin, r.AnnouncedOn, r.AnnouncedPrecision) })
            .ToListAsync(ct);
        var roundsByCompany = rounds.ToLookup(r => r.CompanyId, r => r.Amount);
        var converter = await CurrencyConverter.LoadAsync(db, ct);

        var items = rows.Select(r => (Row: r, Latest: latestById.GetValueOrDefault(r.Id))).Select(x => new CompanyListItem(
                x.Row.Id, x.Row.Slug, x.Row.NameEn, x.Row.NameZh, x.Row.HeadquartersCity, x.Row.Status, x.Row.ListingVenue,
                x.Row.Ticker, x.Row.Groups,
                x.Latest is not { } v ? null : new ValuationFigure(v.Amount, v.Currency, v.Qualifier, v.Basis, v.ValuedOn,
                    v.Precision, converter.ToUsd(v.Amount, v.Currency, v.ValuedOn, v.Precision)),
                FundingTotal.Sum(roundsByCompany[x.Row.Id], converter)))
            .ToList();
        return new PagedResult<CompanyListItem>(items, total);
    }

    /// <summary>How many companies there are: counting them reads every row, so once per data version with a cache.</summary>
    private async Task<int> CountAllAsync(AppDbContext db, CancellationToken ct) => cache is null
        ? await CountAsync(db, ct)
        : await cache.GetOrComputeAsync(db, "company count", t => CountAsync(db, t), ct);

    // In event time each company is read with its figures' span of the day (a join): counting them needs the table only.
    private static Task<int> CountAsync(AppDbContext db, CancellationToken ct) => db.SameCompaniesAsToday
        ? db.Database.SqlQueryRaw<int>("SELECT count(*)::int AS \"Value\" FROM companies").SingleAsync(ct)
        : db.Companies.CountAsync(ct);

    /// <summary>
    /// Typos are looked for among at most this many companies (the first by id) when no name contains the query as
    /// typed: a typo shared by a large part of the table must not have its similarity computed for every row.
    /// </summary>
    public const int TypoCap = 200;

    /// <summary>The /companies directory: search, facets, sort and page all in SQL (two commands, three for a typo).</summary>
    public async Task<PagedResult<CompanyRow>> SearchAsync(CompanyQuery q, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(q.PageSize, 1, 100);
        var page = Math.Max(q.Page, 0);
        await using var db = await factory.CreateDbContextAsync(ct);
        var terms = TextSearch.Parse(q.Search);
        IQueryable<Company> everyCompany = db.Companies.AsNoTracking();
        var query = CompanyDirectoryQuery.Filter(everyCompany, q);

        // The name as typed first (cheap per row, so counted and sorted in full); typos only when it is nowhere, and
        // then among the first TypoCap resembling companies (the nearest names from the GiST index, ADR 0031).
        var filtered = query;
        var typos = false;
        var total = 0;
        if (terms is not null)
        {
            query = filtered.Containing(terms);
            total = await query.CountAsync(ct);
            if (total == 0 && terms.Fuzzy)
            {
                var ids = filtered.Resembling(terms).Select(c => c.Id).OrderBy(id => id).Take(TypoCap);
                query = db.Companies.AsNoTracking().Where(c => ids.Contains(c.Id));
                typos = true;
            }
        }
        if (terms is null && ReferenceEquals(query, everyCompany))
        {
            total = await CountAllAsync(db, ct);
        }
        else if (terms is null || typos)
        {
            total = await query.CountAsync(ct);
        }
        var sorted = CompanyDirectoryQuery.Sort(query, q, terms, typos);
        var rows = await sorted
            .Skip(page * pageSize).Take(pageSize)
            .Select(c => new CompanyRow(c.Slug, c.NameEn, c.NameZh, c.HeadquartersCity, c.FoundedOn, c.FoundedPrecision,
                c.Status, c.ListingVenue, c.Ticker, c.Sectors, c.Groups, c.Figures))
            .ToListAsync(ct);
        return new PagedResult<CompanyRow>(rows, total)
        {
            Suggestions = total == 0 && terms is { Fuzzy: true } ? await SuggestionsAsync(filtered, terms, ct) : [],
        };
    }

    /// <summary>
    /// "Did you mean": the names nearest the query among the companies the other filters keep, so that a suggestion
    /// followed finds its company (one command, the GiST index read in distance order).
    /// </summary>
    private static Task<IReadOnlyList<string>> SuggestionsAsync(IQueryable<Company> filtered, TextSearch.Terms t, CancellationToken ct) =>
        TextSearch.SuggestionsAsync(filtered.Nearest(t, TextSearch.SuggestionCandidates)
            .Select(c => new TextSearch.NamedText { Name = c.NameEn, SearchText = c.SearchText }), t, ct);

    /// <summary>The distinct sectors, cities and groups, for the directory's pickers (one command, once per data version with a cache).</summary>
    public async Task<CompanyFacets> FacetsAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return cache is null ? await ComputeFacetsAsync(db, ct)
            : await cache.GetOrComputeAsync(db, "company facets", t => ComputeFacetsAsync(db, t), ct);
    }

    private static async Task<CompanyFacets> ComputeFacetsAsync(AppDbContext db, CancellationToken ct)
    {
        var rows = await db.Database.SqlQueryRaw<FacetValue>("""
            SELECT DISTINCT 'sector' AS "Kind", unnest(sectors) AS "Value" FROM companies
            UNION SELECT DISTINCT 'group', unnest(groups) FROM companies
            UNION SELECT DISTINCT 'city', headquarters_city FROM companies WHERE headquarters_city IS NOT NULL
            """).ToListAsync(ct);
        IReadOnlyList<string> Of(string kind) => rows.Where(r => r.Kind == kind).Select(r => r.Value)
            .Order(StringComparer.OrdinalIgnoreCase).ToList();
        return new CompanyFacets(Of("sector"), Of("city"), Of("group"));
    }

    private sealed record FacetValue(string Kind, string Value);

    /// <summary>
    /// Everything a profile shows, in eight SQL commands whatever the number of rounds, investors, events or
    /// sources: company with people, rounds with investors, valuations, events, models, its groups' members,
    /// citations, rates.
    /// </summary>
    public async Task<CompanyProfile?> GetProfileAsync(string slug, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var head = (string s) => db.Companies.AsNoTracking()
            .Where(c => c.Slug == s)
            .Select(c => new
            {
                c.Id, c.Slug, c.NameEn, c.NameZh, c.Pinyin, c.LegalNames, c.Aliases, c.FoundedOn, c.FoundedPrecision,
                c.HeadquartersCity, c.Website, c.Status, c.ListingVenue, c.Ticker, c.ListedOn, c.Summary, c.Sectors,
                c.Groups,
                Roles = c.Roles.OrderBy(r => r.Kind).Select(r => new
                {
                    r.Id, r.Kind, r.Title, r.StartedOn, r.EndedOn, r.Person.Slug, r.Person.NameEn, r.Person.NameZh,
                    r.Person.Bio,
                }).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        // A company renamed since has its old address in a knowledge-time view; today's address still finds it.
        var company = await head(slug) ?? (await db.SlugThenAsync<Company>(slug, ct) is { } then ? await head(then) : null);
        if (company is null)
        {
            return null;
        }

        var rounds = await db.FundingRounds.AsNoTracking()
            .Where(r => r.CompanyId == company.Id)
            .OrderBy(r => r.AnnouncedOn == null).ThenBy(r => r.AnnouncedOn).ThenBy(r => r.Id)
            .Select(r => new ProfileRound
            {
                Round = r,
                Investors = r.Participations.OrderByDescending(p => p.IsLead).ThenBy(p => p.Investor.NameEn)
                    .Select(p => new InvestorRef(p.Id, p.Investor.Slug, p.Investor.NameEn, p.Investor.NameZh, p.IsLead,
                        p.Amount, p.Currency))
                    .ToList(),
            })
            .ToListAsync(ct);
        var valuations = await db.ValuationPoints.AsNoTracking()
            .Where(v => v.CompanyId == company.Id).OrderBy(v => v.ValuedOn).ThenBy(v => v.Id).ToListAsync(ct);
        var events = await EventsOfAsync(db, company.Id, ct);
        var models = await ModelsOfAsync(db, company.Id, ct);
        var groups = await GroupsOfAsync(db, company.Groups, ct);

        var citations = await SourceQueries.CitationsOfAsync(db, new Dictionary<RecordType, IReadOnlyCollection<int>>
        {
            [RecordType.Company] = [company.Id],
            [RecordType.CompanyRole] = company.Roles.Select(r => r.Id).ToList(),
            [RecordType.FundingRound] = rounds.Select(r => r.Round.Id).ToList(),
            [RecordType.Participation] = rounds.SelectMany(r => r.Investors).Select(i => i.ParticipationId).ToList(),
            [RecordType.ValuationPoint] = valuations.Select(v => v.Id).ToList(),
            [RecordType.CompanyEvent] = events.Select(e => e.Id).ToList(),
            [RecordType.ModelRelease] = models.Select(m => m.Id).ToList(),
        }, ct);
        var converter = await CurrencyConverter.LoadAsync(db, ct);

        var roundViews = rounds.Select(x => RoundViewOf(x.Round, x.Investors, converter)).ToList();
        var valuationViews = valuations.Select(v => new ValuationView(v.Id, v.ValuedOn, v.Precision, v.Amount, v.Currency,
            v.Qualifier, v.Basis, v.FundingRoundId, v.IsUnverified, v.Notes, converter.ToUsd(v.Amount, v.Currency, v.ValuedOn, v.Precision)))
            .ToList();
        var counted = CountedRounds(rounds.Select(r => r.Round).AsQueryable()).ToList();

        return new CompanyProfile(company.Id, company.Slug, company.NameEn, company.NameZh, company.Pinyin,
            company.LegalNames, company.Aliases, company.FoundedOn, company.FoundedPrecision, company.HeadquartersCity,
            company.Website, company.Status, company.ListingVenue, company.Ticker, company.ListedOn, company.Summary,
            company.Sectors, company.Groups,
            company.Roles.GroupBy(r => r.Slug).Select(g => new PersonView(g.Key, g.First().NameEn, g.First().NameZh,
                g.First().Bio, g.Select(r => new RoleView(r.Id, r.Kind, r.Title, r.StartedOn, r.EndedOn)).ToList())).ToList(),
            roundViews, valuationViews, events, models, citations, KeyFiguresOf(counted, roundViews, valuationViews, converter),
            CumulativeFunding(counted, converter),
            valuationViews.Where(v => !v.IsUnverified && v.Usd is not null)
                .Select(v => new ChartPointView(v.ValuedOn, v.Usd!.Usd, v.Precision)).ToList(),
            groups);
    }

    private static Task<List<EventView>> EventsOfAsync(AppDbContext db, int companyId, CancellationToken ct) =>
        db.CompanyEvents.AsNoTracking()
            .Where(e => e.CompanyId == companyId).OrderBy(e => e.OccurredOn).ThenBy(e => e.Id)
            .Select(e => new EventView(e.Id, e.OccurredOn, e.Precision, e.Kind, e.Title, e.Summary, e.FocusBefore, e.FocusAfter))
            .ToListAsync(ct);

    private static Task<List<ModelView>> ModelsOfAsync(AppDbContext db, int companyId, CancellationToken ct) =>
        db.ModelReleases.AsNoTracking()
            .Where(m => m.CompanyId == companyId).OrderBy(m => m.ReleasedOn == null).ThenBy(m => m.ReleasedOn).ThenBy(m => m.Id)
            .Select(m => new ModelView(m.Id, m.Name, m.ReleasedOn, m.Precision, m.OpenWeights, m.Licence, m.Size, m.Modality, m.Summary))
            .ToListAsync(ct);

    /// <summary>The members of its groups, so a group chip can open the comparison of the whole group (no command without groups).</summary>
    private static async Task<List<CompanyGroupView>> GroupsOfAsync(AppDbContext db, List<string> groups, CancellationToken ct)
    {
        var groupMembers = groups.Count == 0 ? []
            : await db.Companies.AsNoTracking().Where(o => o.Groups.Any(g => groups.Contains(g)))
                .OrderBy(o => o.NameEn).Select(o => new { o.Slug, o.Groups }).ToListAsync(ct);
        return groups.Select(g => new CompanyGroupView(g, groupMembers.Where(m => m.Groups.Contains(g)).Select(m => m.Slug).ToList())).ToList();
    }

    private static RoundView RoundViewOf(FundingRound r, IReadOnlyList<InvestorRef> investors, CurrencyConverter converter)
    {
        var sized = r.Amount ?? r.AmountMin;
        return new RoundView(r.Id, r.AnnouncedOn, r.AnnouncedPrecision, r.ClosedOn, r.LabelAsAnnounced, r.Stage,
            r.Status, r.Disclosure, r.Currency, r.Amount, r.AmountIsApproximate, r.AmountMin, r.AmountMax,
            r.AmountText, sized is null ? null : converter.ToUsd(sized.Value, r.Currency, r.AnnouncedOn, r.AnnouncedPrecision),
            r.PostMoneyValuation, r.PostMoneyCurrency, r.PostMoneyQualifier, r.PostMoneyIsEstimate,
            r.PostMoneyValuation is null ? null
                : converter.ToUsd(r.PostMoneyValuation.Value, r.PostMoneyCurrency ?? r.Currency, r.AnnouncedOn, r.AnnouncedPrecision),
            r.IsUnverified, r.Notes, investors);
    }

    private static KeyFigures KeyFiguresOf(List<FundingRound> counted, List<RoundView> roundViews, List<ValuationView> valuationViews,
        CurrencyConverter converter) => new(
            FundingTotal.Sum(counted.Select(r => new RoundAmount(r.Disclosure, r.Currency, r.Amount, r.AmountMin, r.AnnouncedOn, r.AnnouncedPrecision)), converter),
            valuationViews.Where(v => !v.IsUnverified).OrderBy(v => v.ValuedOn).ThenBy(v => v.Id).LastOrDefault(),
            roundViews.Count,
            roundViews.SelectMany(r => r.Investors).Select(i => i.Slug).Distinct().Count(),
            roundViews.Where(r => r.AnnouncedOn is not null).MaxBy(r => r.AnnouncedOn));

    /// <summary>A round of the profile while still in SQL, with its investors.</summary>
    private sealed class ProfileRound
    {
        public FundingRound Round { get; init; } = null!;
        public List<InvestorRef> Investors { get; init; } = [];
    }

    /// <summary>The slugs among <paramref name="slugs"/> that name no company (one command).</summary>
    public async Task<IReadOnlyList<string>> UnknownSlugsAsync(IReadOnlyCollection<string> slugs, CancellationToken ct = default)
    {
        if (slugs.Count == 0)
        {
            return [];
        }
        await using var db = await factory.CreateDbContextAsync(ct);
        var known = await db.Companies.AsNoTracking().Where(c => slugs.Contains(c.Slug)).Select(c => c.Slug).ToListAsync(ct);
        return slugs.Except(known, StringComparer.Ordinal).ToList();
    }

    /// <summary>Valuation points of some companies (all when none is named), newest first: count, page, rates.</summary>
    public async Task<PagedResult<ValuationListItem>> ValuationsAsync(CompanyRecordQuery q, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var valuations = db.ValuationPoints.AsNoTracking();
        if (q.Companies.Count > 0)
        {
            var slugs = q.Companies.ToList();
            valuations = valuations.Where(v => slugs.Contains(v.Company.Slug));
        }
        var total = await valuations.CountAsync(ct);
        var rows = await valuations.OrderByDescending(v => v.ValuedOn).ThenBy(v => v.Id)
            .Skip(Math.Max(q.Page, 0) * PageSizeOf(q)).Take(PageSizeOf(q))
            .Select(v => new
            {
                Company = new CompanyRef(v.Company.Slug, v.Company.NameEn, v.Company.NameZh),
                v.Id, v.ValuedOn, v.Precision, v.Amount, v.Currency, v.Qualifier, v.Basis, v.FundingRoundId, v.IsUnverified,
            })
            .ToListAsync(ct);
        var converter = await CurrencyConverter.LoadAsync(db, ct);
        return new PagedResult<ValuationListItem>(rows.Select(v => new ValuationListItem(v.Company, v.Id, v.ValuedOn,
            v.Precision, v.Amount, v.Currency.Trim(), v.Qualifier, v.Basis, v.FundingRoundId, v.IsUnverified,
            converter.ToUsd(v.Amount, v.Currency, v.ValuedOn, v.Precision))).ToList(), total);
    }

    /// <summary>Events (pivots, filings, listings...) of some companies, newest first, by kind: count and page.</summary>
    public async Task<PagedResult<EventListItem>> EventsAsync(CompanyRecordQuery q, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var events = db.CompanyEvents.AsNoTracking();
        if (q.Companies.Count > 0)
        {
            var slugs = q.Companies.ToList();
            events = events.Where(e => slugs.Contains(e.Company.Slug));
        }
        if (q.EventKinds.Count > 0)
        {
            var kinds = q.EventKinds.ToList();
            events = events.Where(e => kinds.Contains(e.Kind));
        }
        var total = await events.CountAsync(ct);
        var items = await events.OrderByDescending(e => e.OccurredOn).ThenBy(e => e.Id)
            .Skip(Math.Max(q.Page, 0) * PageSizeOf(q)).Take(PageSizeOf(q))
            .Select(e => new EventListItem(new CompanyRef(e.Company.Slug, e.Company.NameEn, e.Company.NameZh),
                new EventView(e.Id, e.OccurredOn, e.Precision, e.Kind, e.Title, e.Summary, e.FocusBefore, e.FocusAfter)))
            .ToListAsync(ct);
        return new PagedResult<EventListItem>(items, total);
    }

    /// <summary>Model releases of some companies, newest first (undated last): count and page.</summary>
    public async Task<PagedResult<ModelListItem>> ModelsAsync(CompanyRecordQuery q, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var models = db.ModelReleases.AsNoTracking();
        if (q.Companies.Count > 0)
        {
            var slugs = q.Companies.ToList();
            models = models.Where(m => slugs.Contains(m.Company.Slug));
        }
        if (q.OpenWeights is { } open)
        {
            models = models.Where(m => m.OpenWeights == open);
        }
        var total = await models.CountAsync(ct);
        var items = await models.OrderBy(m => m.ReleasedOn == null).ThenByDescending(m => m.ReleasedOn).ThenBy(m => m.Id)
            .Skip(Math.Max(q.Page, 0) * PageSizeOf(q)).Take(PageSizeOf(q))
            .Select(m => new ModelListItem(new CompanyRef(m.Company.Slug, m.Company.NameEn, m.Company.NameZh),
                new ModelView(m.Id, m.Name, m.ReleasedOn, m.Precision, m.OpenWeights, m.Licence, m.Size, m.Modality, m.Summary)))
            .ToListAsync(ct);
        return new PagedResult<ModelListItem>(items, total);
    }

    private static int PageSizeOf(CompanyRecordQuery q) => Math.Clamp(q.PageSize, 1, 200);

    /// <summary>Cumulative USD raised as steps: flat until a round, then up by its (lower-bound) amount.</summary>
    private static List<ChartPointView> CumulativeFunding(IEnumerable<FundingRound> counted, CurrencyConverter converter)
    {
        var points = new List<ChartPointView>();
        decimal sum = 0;
        foreach (var r in counted.Where(r => r.AnnouncedOn is not null).OrderBy(r => r.AnnouncedOn))
        {
            var amount = r.Disclosure == Disclosure.Range ? r.AmountMin : r.Amount;
            if (amount is null || converter.ToUsd(amount.Value, r.Currency, r.AnnouncedOn, r.AnnouncedPrecision) is not { } usd)
            {
                continue;
            }
            if (points.Count > 0)
            {
                points.Add(new ChartPointView(r.AnnouncedOn!.Value.AddDays(-1), sum, r.AnnouncedPrecision, IsStep: true));
            }
            sum += usd.Usd;
            points.Add(new ChartPointView(r.AnnouncedOn!.Value, sum, r.AnnouncedPrecision));
        }
        return points;
    }

    /// <summary>
    /// The rounds that count towards "total raised": completed private rounds that a source backs. IPO proceeds,
    /// rounds still being raised and unverified rounds are shown elsewhere but not added up.
    /// </summary>
    public static IQueryable<FundingRound> CountedRounds(IQueryable<FundingRound> rounds) => rounds.Where(IsCounted);

    private static readonly System.Linq.Expressions.Expression<Func<FundingRound, bool>> IsCounted = r =>
        r.Status == RoundStatus.Completed && !r.IsUnverified && r.Stage != RoundStage.Ipo;
}

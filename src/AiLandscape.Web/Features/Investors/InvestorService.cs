using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Search;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Web.Features.Investors;

/// <summary>
/// Investors and what they invested in. An investor's figures, portfolio, rounds and co-investors cover the investor
/// and its units (investors whose parent it is): Alibaba's include the 01.AI round Alibaba Cloud led, marked "via
/// Alibaba Cloud". A unit's own profile shows only its own rounds. One level deep, as the data holds it.
/// </summary>
public sealed class InvestorService([FromKeyedServices(ReplicaReads.Key)] IDbContextFactory<AppDbContext> factory)
{
    private readonly IDbContextFactory<AppDbContext> _factory = factory;

    /// <summary>
    /// A page of investors, searched, filtered, sorted and cut in SQL: two commands (count, page) whatever the
    /// number of investors or rounds. The figures are the investor's stored ones (<see cref="StoredInvestorFigures"/>).
    /// </summary>
    public async Task<PagedResult<InvestorListItem>> ListAsync(InvestorQuery query, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 100);
        var page = Math.Max(query.Page, 0);
        await using var db = await _factory.CreateDbContextAsync(ct);

        var investors = db.Investors.AsNoTracking();
        if (TextSearch.Parse(query.Search) is { } terms)
        {
            investors = investors.Matching(terms); // typo-tolerant for short names too: see TextSearch
        }
        if (query.Kind is { } kind)
        {
            investors = investors.Where(i => i.Kind == kind);
        }
        var total = await investors.CountAsync(ct);

        // The figures are stored on the investor (InvestorFiguresUpdater, ADR 0021): each order below is an index.
        var rows = investors.Select(i => new ListRow
        {
            Id = i.Id,
            Slug = i.Slug,
            NameEn = i.NameEn,
            NameZh = i.NameZh,
            Kind = i.Kind,
            Country = i.Country,
            ParentId = i.ParentId,
            ParentSlug = i.Parent!.Slug,
            ParentNameEn = i.Parent.NameEn,
            ParentNameZh = i.Parent.NameZh,
            ParentKind = (InvestorKind?)i.Parent.Kind,
            UnitCount = i.Figures.UnitCount,
            CompanyCount = i.Figures.CompanyCount,
            RoundCount = i.Figures.RoundCount,
            LeadCount = i.Figures.LeadCount,
            LatestOn = i.Figures.LatestInvestmentOn,
            LatestPrecision = i.Figures.LatestInvestmentPrecision,
        });

        // Empty figures sort last in both directions: "no rounds" is not the smallest or largest number of rounds.
        var sorted = (query.Sort, query.Descending) switch
        {
            (InvestorSort.Kind, false) => rows.OrderBy(r => r.Kind),
            (InvestorSort.Kind, true) => rows.OrderByDescending(r => r.Kind),
            (InvestorSort.Country, false) => rows.OrderBy(r => r.Country == null).ThenBy(r => r.Country),
            (InvestorSort.Country, true) => rows.OrderBy(r => r.Country == null).ThenByDescending(r => r.Country),
            (InvestorSort.Companies, false) => rows.OrderBy(r => r.CompanyCount),
            (InvestorSort.Companies, true) => rows.OrderByDescending(r => r.CompanyCount),
            (InvestorSort.Rounds, false) => rows.OrderBy(r => r.RoundCount),
            (InvestorSort.Rounds, true) => rows.OrderByDescending(r => r.RoundCount),
            (InvestorSort.Leads, false) => rows.OrderBy(r => r.LeadCount),
            (InvestorSort.Leads, true) => rows.OrderByDescending(r => r.LeadCount),
            (InvestorSort.LatestInvestment, false) => rows.OrderBy(r => r.LatestOn == null).ThenBy(r => r.LatestOn),
            (InvestorSort.LatestInvestment, true) => rows.OrderBy(r => r.LatestOn == null).ThenByDescending(r => r.LatestOn),
            (_, true) => rows.OrderByDescending(r => r.NameEn),
            _ => rows.OrderBy(r => r.NameEn),
        };
        var pageRows = await sorted.ThenBy(r => r.NameEn).ThenBy(r => r.Id)
            .Skip(page * pageSize).Take(pageSize)
            .ToListAsync(ct);

        var items = pageRows.Select(r => new InvestorListItem(r.Id, r.Slug, r.NameEn, r.NameZh, r.Kind, r.Country,
                r.ParentId is { } parentId ? new InvestorLink(parentId, r.ParentSlug!, r.ParentNameEn!, r.ParentNameZh, r.ParentKind!.Value) : null,
                r.UnitCount, r.CompanyCount, r.RoundCount, r.LeadCount, r.LatestOn,
                r.LatestPrecision ?? DatePrecision.Day))
            .ToList();
        return new PagedResult<InvestorListItem>(items, total);
    }

    /// <summary>
    /// The profile of an investor, or null for an unknown slug. Four SQL commands whatever the number of rounds,
    /// companies or co-investors: the investor with its parent and units; all participations of the group with their
    /// round, company and the round's other investors (the co-investors are counted from those); the citations of
    /// the investor, its participations and their rounds; the exchange rates. Its summary figures are computed from the
    /// participations it loads, not read from the stored ones, so an as-of view of the profile counts its own day.
    /// </summary>
    public async Task<InvestorProfile?> GetProfileAsync(string slug, CancellationToken ct = default)
    {
        slug = slug.Trim().ToLowerInvariant();
        await using var db = await _factory.CreateDbContextAsync(ct);
        var head = (string s) => db.Investors.AsNoTracking()
            .Where(i => i.Slug == s)
            .Select(i => new ProfileHead
            {
                Id = i.Id, Slug = i.Slug, NameEn = i.NameEn, NameZh = i.NameZh, Aliases = i.Aliases, Kind = i.Kind,
                Country = i.Country, Website = i.Website, Summary = i.Summary,
                Parent = i.Parent == null ? null
                    : new InvestorLink(i.Parent.Id, i.Parent.Slug, i.Parent.NameEn, i.Parent.NameZh, i.Parent.Kind),
                Person = i.Person == null ? null : new InvestorPersonLink(i.Person.Slug, i.Person.NameEn, i.Person.NameZh),
                Units = db.Investors.Where(u => u.ParentId == i.Id).OrderBy(u => u.NameEn)
                    .Select(u => new InvestorLink(u.Id, u.Slug, u.NameEn, u.NameZh, u.Kind))
                    .ToList(),
            })
            .SingleOrDefaultAsync(ct);
        // An investor renamed since has its old address in a knowledge-time view; today's address still finds it.
        var investor = await head(slug) ?? (await db.SlugThenAsync<Investor>(slug, ct) is { } then ? await head(then) : null);
        if (investor is null)
        {
            return null;
        }
        var groupIds = investor.Units.Select(u => u.Id).Prepend(investor.Id).ToArray();
        var participations = await GroupParticipationsAsync(db, groupIds, ct);
        var citations = await SourceQueries.CitationsOfAsync(db, new Dictionary<RecordType, IReadOnlyCollection<int>>
        {
            [RecordType.Investor] = groupIds,
            [RecordType.Participation] = participations.Select(p => p.Id).ToList(),
            [RecordType.FundingRound] = participations.Select(p => p.FundingRoundId).Distinct().ToList(),
        }, ct);
        var converter = await CurrencyConverter.LoadAsync(db, ct);

        var rounds = RoundsOf(investor, participations, converter);
        var portfolio = rounds
            .GroupBy(r => r.CompanySlug)
            .Select(g => new PortfolioCompany(g.Key, g.First().CompanyNameEn, g.First().CompanyNameZh, g.ToList()))
            .OrderBy(c => c.NameEn, StringComparer.OrdinalIgnoreCase)
            .ToList();
        // The citations of the round fields this page shows (date, label, size), so their disputes are marked here as
        // on the company's profile; the others (a valuation) belong on the company's profile only.
        var shown = citations.All
            .Where(c => c.RecordType != RecordType.FundingRound || c.Field is null || ShownRoundFields.Contains(c.Field))
            .ToList();

        return new InvestorProfile(investor.Id, investor.Slug, investor.NameEn, investor.NameZh, investor.Aliases,
            investor.Kind, investor.Country, investor.Website, investor.Summary, investor.Parent, investor.Units, investor.Person,
            FiguresOf(participations, rounds), portfolio, rounds, CoInvestorsOf(participations), shown);
    }

    /// <summary>All participations of the investor and its units, each with its round, company and the round's other investors.</summary>
    private static Task<List<GroupParticipation>> GroupParticipationsAsync(AppDbContext db, int[] groupIds, CancellationToken ct) =>
        db.Participations.AsNoTracking()
            .Where(p => groupIds.Contains(p.InvestorId))
            .Select(p => new GroupParticipation
            {
                Id = p.Id, InvestorId = p.InvestorId, IsLead = p.IsLead, FundingRoundId = p.FundingRoundId,
                CompanyId = p.FundingRound.CompanyId,
                Round = new ParticipationRound
                {
                    AnnouncedOn = p.FundingRound.AnnouncedOn, AnnouncedPrecision = p.FundingRound.AnnouncedPrecision,
                    LabelAsAnnounced = p.FundingRound.LabelAsAnnounced, Stage = p.FundingRound.Stage,
                    Status = p.FundingRound.Status, IsUnverified = p.FundingRound.IsUnverified,
                    Disclosure = p.FundingRound.Disclosure, Currency = p.FundingRound.Currency, Amount = p.FundingRound.Amount,
                    AmountIsApproximate = p.FundingRound.AmountIsApproximate, AmountMin = p.FundingRound.AmountMin,
                    AmountMax = p.FundingRound.AmountMax, AmountText = p.FundingRound.AmountText,
                },
                Company = new ParticipationCompany
                {
                    Slug = p.FundingRound.Company.Slug, NameEn = p.FundingRound.Company.NameEn, NameZh = p.FundingRound.Company.NameZh,
                },
                // The other investors in the round, for the co-investors: read here, not by a self-join of its own.
                Others = p.FundingRound.Participations.Where(o => !groupIds.Contains(o.InvestorId))
                    .Select(o => new CoInvestorRow(o.InvestorId, o.Investor.Slug, o.Investor.NameEn, o.Investor.NameZh, o.Investor.Kind))
                    .ToList(),
            })
            .ToListAsync(ct);

    /// <summary>
    /// Rounds another investor shared with the investor or one of its units, counted once per round even when
    /// several units of the group were in it.
    /// </summary>
    private static List<CoInvestor> CoInvestorsOf(List<GroupParticipation> participations) =>
        participations
            .DistinctBy(p => p.FundingRoundId)
            .SelectMany(p => p.Others.DistinctBy(o => o.Id).Select(o => (Other: o, p.FundingRoundId, p.CompanyId)))
            .GroupBy(x => x.Other.Id)
            .Select(g => new CoInvestor(g.First().Other.Slug, g.First().Other.NameEn, g.First().Other.NameZh, g.First().Other.Kind,
                g.Count(), g.Select(x => x.CompanyId).Distinct().Count()))
            .OrderByDescending(c => c.SharedRounds).ThenByDescending(c => c.SharedCompanies)
            .ThenBy(c => c.NameEn, StringComparer.Ordinal).ThenBy(c => c.Slug, StringComparer.Ordinal)
            .ToList();

    /// <summary>One row per round of the group, its size in USD too, marked "via" the units when the investor itself was not in it.</summary>
    private static List<InvestorRound> RoundsOf(ProfileHead investor, List<GroupParticipation> participations, CurrencyConverter converter)
    {
        var unitsById = investor.Units.ToDictionary(u => u.Id);
        return participations
            .GroupBy(p => p.FundingRoundId)
            .Select(g =>
            {
                var first = g.First();
                var r = first.Round;
                var size = new RoundSize(r.Disclosure, r.Currency, r.Amount, r.AmountIsApproximate, r.AmountMin,
                    r.AmountMax, r.AmountText, Usd: null);
                size = size with
                {
                    Usd = size.Headline is { } h ? converter.ToUsd(h.Amount, r.Currency, r.AnnouncedOn, r.AnnouncedPrecision) : null,
                };
                IReadOnlyList<InvestorLink> via = g.Any(p => p.InvestorId == investor.Id)
                    ? []
                    : g.Select(p => unitsById[p.InvestorId]).DistinctBy(u => u.Id).ToList();
                return new InvestorRound(g.Key, first.Company.Slug, first.Company.NameEn, first.Company.NameZh,
                    r.AnnouncedOn, r.AnnouncedPrecision, r.LabelAsAnnounced, r.Stage, r.Status, r.IsUnverified, size,
                    g.Any(p => p.IsLead), g.Select(p => p.Id).ToList(), via);
            })
            // Newest first; rounds no source dates go last.
            .OrderBy(r => r.AnnouncedOn is null).ThenByDescending(r => r.AnnouncedOn).ThenBy(r => r.CompanyNameEn)
            .ThenBy(r => r.RoundId)
            .ToList();
    }

    /// <summary>The profile's figures, from the participations it loaded (so an as-of view counts its own day).</summary>
    private static InvestorFigures FiguresOf(List<GroupParticipation> participations, List<InvestorRound> rounds)
    {
        var dated = rounds.Where(r => r.AnnouncedOn is not null).ToList();
        var firstRound = dated.OrderBy(r => r.AnnouncedOn).ThenBy(r => r.AnnouncedPrecision == DatePrecision.Day ? 0 : 1)
            .FirstOrDefault();
        var latestRound = dated.OrderByDescending(r => r.AnnouncedOn)
            .ThenBy(r => r.AnnouncedPrecision == DatePrecision.Day ? 0 : 1).FirstOrDefault();
        // Loaded for the investor and its units: the participations InvestorCredit credits to it.
        var counts = InvestorCredit.Summarise(participations.Select(p => (p.FundingRoundId, p.CompanyId, p.IsLead)));
        return new InvestorFigures(
            counts.Companies,
            counts.Rounds,
            counts.Leads,
            firstRound?.AnnouncedOn, firstRound?.AnnouncedPrecision ?? DatePrecision.Day,
            latestRound?.AnnouncedOn, latestRound?.AnnouncedPrecision ?? DatePrecision.Day);
    }

    // The profile's rows while still in SQL: classes with init members, projected as the anonymous types were.
    private sealed class ProfileHead
    {
        public int Id { get; init; }
        public string Slug { get; init; } = "";
        public string NameEn { get; init; } = "";
        public string? NameZh { get; init; }
        public List<string> Aliases { get; init; } = [];
        public InvestorKind Kind { get; init; }
        public string? Country { get; init; }
        public string? Website { get; init; }
        public string? Summary { get; init; }
        public InvestorLink? Parent { get; init; }
        public InvestorPersonLink? Person { get; init; }
        public List<InvestorLink> Units { get; init; } = [];
    }

    private sealed class GroupParticipation
    {
        public int Id { get; init; }
        public int InvestorId { get; init; }
        public bool IsLead { get; init; }
        public int FundingRoundId { get; init; }
        public int CompanyId { get; init; }
        public ParticipationRound Round { get; init; } = null!;
        public ParticipationCompany Company { get; init; } = null!;
        public List<CoInvestorRow> Others { get; init; } = [];
    }

    private sealed class ParticipationRound
    {
        public DateOnly? AnnouncedOn { get; init; }
        public DatePrecision AnnouncedPrecision { get; init; }
        public string? LabelAsAnnounced { get; init; }
        public RoundStage Stage { get; init; }
        public RoundStatus Status { get; init; }
        public bool IsUnverified { get; init; }
        public Disclosure Disclosure { get; init; }
        public string Currency { get; init; } = "";
        public decimal? Amount { get; init; }
        public bool AmountIsApproximate { get; init; }
        public decimal? AmountMin { get; init; }
        public decimal? AmountMax { get; init; }
        public string? AmountText { get; init; }
    }

    private sealed class ParticipationCompany
    {
        public string Slug { get; init; } = "";
        public string NameEn { get; init; } = "";
        public string? NameZh { get; init; }
    }

    private static readonly HashSet<string> ShownRoundFields =
        [nameof(FundingRound.Amount), nameof(FundingRound.AnnouncedOn), nameof(FundingRound.LabelAsAnnounced)];

    private sealed record CoInvestorRow(int Id, string Slug, string NameEn, string? NameZh, InvestorKind Kind);

    /// <summary>A list row while still in SQL: a class with init members (not a positional record), so EF can sort on them.</summary>
    private sealed class ListRow
    {
        public int Id { get; init; }
        public string Slug { get; init; } = "";
        public string NameEn { get; init; } = "";
        public string? NameZh { get; init; }
        public InvestorKind Kind { get; init; }
        public string? Country { get; init; }
        public int? ParentId { get; init; }
        public string? ParentSlug { get; init; }
        public string? ParentNameEn { get; init; }
        public string? ParentNameZh { get; init; }
        public InvestorKind? ParentKind { get; init; }
        public int UnitCount { get; init; }
        public int CompanyCount { get; init; }
        public int RoundCount { get; init; }
        public int LeadCount { get; init; }
        public DateOnly? LatestOn { get; init; }
        public DatePrecision? LatestPrecision { get; init; }
    }
}

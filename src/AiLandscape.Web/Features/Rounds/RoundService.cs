using System.Linq.Expressions;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Search;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Rounds;

public sealed class RoundService([FromKeyedServices(ReplicaReads.Key)] IDbContextFactory<AppDbContext> factory,
    ChangeKeyedCache? cache = null)
{
    /// <summary>The order stages sort in: the lettered series in sequence, unnamed rounds last.</summary>
    private static readonly RoundStage[] StageOrder =
    [
        RoundStage.Angel, RoundStage.Seed, RoundStage.SeriesA, RoundStage.SeriesB, RoundStage.SeriesC,
        RoundStage.SeriesD, RoundStage.LaterStage, RoundStage.Strategic, RoundStage.PreIpo, RoundStage.Ipo,
        RoundStage.Unnamed,
    ];

    private static readonly Expression<Func<FundingRound, int>> StageRank = BuildStageRank();

    /// <summary>
    /// One page of rounds with the size and total of the whole filtered set, in five SQL commands whatever the page
    /// size or the data (six with a company name filter, whose companies are looked up first): the filtered set's
    /// count and USD total (one aggregate over the stored <see cref="FundingRound.AmountUsd"/>), the page, the page's
    /// investors, the page's citations with their sources and dispute resolutions, and the exchange rates (for the
    /// page's own conversions). Filtering, sorting, paging and adding up all happen in SQL.
    /// </summary>
    public async Task<RoundListResult> ListAsync(RoundQuery query, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 200);
        await using var db = await factory.CreateDbContextAsync(ct);

        // The companies a name matches, looked up first: as a subquery (fuzzy names make it an OR of two) the planner
        // guessed most rounds would match and walked the date index through every round for the four of one company.
        var companyIds = TextSearch.Parse(query.Company) is { } company
            ? await db.Companies.Matching(company).Select(c => c.Id).ToListAsync(ct)
            : null;
        var rows = FilteredRows(db, query, companyIds);

        var (count, total) = await CountAndTotalAsync(db, rows, query, ct);

        // A page past the end (a stale link after the data shrank) shows the last page rather than nothing.
        var lastPage = Math.Max(0, (count - 1) / pageSize);
        var page = Math.Clamp(query.Page, 0, lastPage);

        var pageRows = await Order(rows, query)
            .Skip(page * pageSize).Take(pageSize)
            .Select(r => new
            {
                r.Id,
                CompanySlug = r.Company.Slug,
                CompanyNameEn = r.Company.NameEn,
                CompanyNameZh = r.Company.NameZh,
                r.AnnouncedOn, r.AnnouncedPrecision, r.LabelAsAnnounced, r.Stage,
                r.Status, r.IsUnverified, r.Disclosure, r.Currency, r.Amount,
                r.AmountIsApproximate, r.AmountMin, r.AmountMax, r.AmountText,
                r.PostMoneyValuation, r.PostMoneyCurrency, r.PostMoneyQualifier,
                r.PostMoneyIsEstimate,
                r.AmountUsd,
            })
            .ToListAsync(ct);

        var ids = pageRows.Select(r => r.Id).ToList();
        var investorsByRound = (await db.Participations.AsNoTracking()
                .Where(p => ids.Contains(p.FundingRoundId))
                .OrderBy(p => p.Id)
                .Select(p => new { p.FundingRoundId, p.IsLead, Investor = new RoundInvestor(p.Investor.Slug, p.Investor.NameEn, p.Investor.NameZh) })
                .ToListAsync(ct))
            .ToLookup(p => p.FundingRoundId);
        var citationsByRound = await CitationsOfAsync(db, ids, ct);

        var converter = await CurrencyConverter.LoadAsync(db, ct);
        UsdConversion? ToUsd(decimal? amount, string currency, DateOnly? on, DatePrecision precision) =>
            amount is { } a ? converter.ToUsd(a, currency, on, precision) : null;

        var items = pageRows.Select(r =>
            {
                var currency = r.Currency.Trim();
                var postMoneyCurrency = r.PostMoneyCurrency?.Trim() ?? currency;
                return new RoundListItem(
                    r.Id, r.CompanySlug, r.CompanyNameEn, r.CompanyNameZh, r.AnnouncedOn, r.AnnouncedPrecision,
                    r.LabelAsAnnounced, r.Stage, r.Status, r.IsUnverified,
                    new RoundSize(r.Disclosure, currency, r.Amount, r.AmountIsApproximate, r.AmountMin, r.AmountMax,
                        r.AmountText, ToUsd(r.Amount, currency, r.AnnouncedOn, r.AnnouncedPrecision),
                        ToUsd(r.AmountMin, currency, r.AnnouncedOn, r.AnnouncedPrecision), ToUsd(r.AmountMax, currency, r.AnnouncedOn, r.AnnouncedPrecision)),
                    r.PostMoneyValuation is { } pm
                        ? new PostMoneyFigure(pm, postMoneyCurrency, r.PostMoneyQualifier, r.PostMoneyIsEstimate,
                            converter.ToUsd(pm, postMoneyCurrency, r.AnnouncedOn, r.AnnouncedPrecision))
                        : null,
                    investorsByRound[r.Id].Where(p => p.IsLead).Select(p => p.Investor).ToList(),
                    investorsByRound[r.Id].Where(p => !p.IsLead).Select(p => p.Investor).ToList(),
                    r.AmountUsd)
                {
                    Citations = citationsByRound[r.Id].ToList(),
                };
            })
            .ToList();

        return new RoundListResult(items, count, total, count - total.RoundCount, page);
    }

    /// <summary>
    /// Counts and adds up the filtered rounds in one command; the sums follow FundingTotal.Sum's rules on the stored USD
    /// figure. The whole filtered set is read for it (0.1-0.3 s for all 190,000 rounds at 1,000x), so it is kept per
    /// filter set and data version (ADR 0023), at low priority: a crowd of distinct filters evicts these before the
    /// dashboard's.
    /// </summary>
    private async Task<(int Count, FundingTotal Total)> CountAndTotalAsync(AppDbContext db, IQueryable<FundingRound> rows,
        RoundQuery query, CancellationToken ct)
    {
        var sums = cache is null
            ? await SumsAsync(rows, ct)
            : await cache.GetOrComputeAsync(db, "rounds-total " + FilterKey(query), t => SumsAsync(rows, t), ct, lowPriority: true);
        var total = sums is null
            ? new FundingTotal(0, 0, 0, 0, 0, 0, false)
            : new FundingTotal(sums.Usd ?? 0, sums.Counted, sums.Undisclosed, sums.Ranges, sums.Estimated, sums.Unconverted, sums.Approximate > 0);
        return (sums?.Count ?? 0, total);
    }

    /// <summary>
    /// A page handed over from the prerender without its citations (they would push it over the hand-over budget,
    /// PrerenderHandoff) gets them back: one command, instead of the whole list's five.
    /// </summary>
    public async Task<RoundListResult> WithCitationsAsync(RoundListResult result, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var citationsByRound = await CitationsOfAsync(db, result.Items.Select(i => i.Id).ToList(), ct);
        return result with { Items = result.Items.Select(i => i with { Citations = citationsByRound[i.Id].ToList() }).ToList() };
    }

    private static async Task<ILookup<int?, CitationView>> CitationsOfAsync(AppDbContext db, List<int> roundIds, CancellationToken ct) =>
        (await SourceQueries.CitationsOfAsync(db,
            new Dictionary<RecordType, IReadOnlyCollection<int>> { [RecordType.FundingRound] = roundIds }, ct)).All.ToLookup(c => c.RecordId);

    /// <summary>
    /// Funding by company over the rounds the filters select (the period is the date filter), largest first, in SQL:
    /// one grouped aggregate over the stored USD figures (FundingTotal's rules, as the list's total), the company
    /// count, and the currency's average rate over the period. At most <see cref="CompanyFundingResult.MaxCompanies"/>
    /// companies come back; the aggregate is kept per filter set and data version like the list's total.
    /// </summary>
    public async Task<CompanyFundingResult> FundingByCompanyAsync(RoundQuery query, string? currency, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var companyIds = TextSearch.Parse(query.Company) is { } company
            ? await db.Companies.Matching(company).Select(c => c.Id).ToListAsync(ct)
            : null;
        var rows = FilteredRows(db, query, companyIds);
        var companies = cache is null
            ? await ByCompanyAsync(rows, ct)
            : await cache.GetOrComputeAsync(db, "rounds-by-company " + FilterKey(query), t => ByCompanyAsync(rows, t), ct, lowPriority: true);

        var currencies = await db.ExchangeRates.Select(r => r.Currency).Distinct().ToListAsync(ct);
        currencies = currencies.Select(c => c.Trim()).Append("USD").Distinct().Order(StringComparer.Ordinal).ToList();
        var target = currency?.Trim().ToUpperInvariant() is { Length: 3 } c3 && currencies.Contains(c3) ? c3 : "USD";
        decimal? rate = null;
        var months = 0;
        if (target != "USD")
        {
            // The months the period touches; an open end takes every stored month on that side.
            var fromMonth = query.From is { } f ? new DateOnly(f.Year, f.Month, 1) : DateOnly.MinValue;
            var to = query.To ?? DateOnly.MaxValue;
            var stats = await db.ExchangeRates
                .Where(r => r.Currency == target && r.Month >= fromMonth && r.Month <= to)
                .GroupBy(r => 1)
                .Select(g => new { Average = g.Average(r => r.UnitsPerUsd), Months = g.Count() })
                .SingleOrDefaultAsync(ct);
            (rate, months) = stats is null ? ((decimal?)null, 0) : (Math.Round(stats.Average, 4), stats.Months);
        }
        return new CompanyFundingResult(companies.Rows, companies.Count, target, rate, months, currencies);
    }

    private sealed record ByCompany(IReadOnlyList<CompanyFunding> Rows, int Count);

    private static async Task<ByCompany> ByCompanyAsync(IQueryable<FundingRound> rows, CancellationToken ct)
    {
        var grouped = rows
            .Select(r => new
            {
                r.CompanyId, r.Company.Slug, r.Company.NameEn, r.Company.NameZh,
                Counted = r.Status == RoundStatus.Completed && !r.IsUnverified && r.Stage != RoundStage.Ipo,
                HasFigure = (r.Disclosure == Disclosure.Range ? r.AmountMin : r.Disclosure == Disclosure.Undisclosed ? null : r.Amount) != null,
                r.Disclosure, r.AmountUsd,
            })
            .GroupBy(r => new { r.CompanyId, r.Slug, r.NameEn, r.NameZh })
            .Select(g => new
            {
                g.Key.Slug, g.Key.NameEn, g.Key.NameZh,
                Rounds = g.Count(),
                Counted = g.Count(r => r.Counted),
                Undisclosed = g.Count(r => r.Counted && !r.HasFigure),
                Unconverted = g.Count(r => r.Counted && r.HasFigure && r.AmountUsd == null),
                Ranges = g.Count(r => r.Counted && r.AmountUsd != null && r.Disclosure == Disclosure.Range),
                // EF writes COALESCE(SUM(...), 0): whether anything was added is counted, so "nothing known" stays null.
                Added = g.Count(r => r.Counted && r.AmountUsd != null),
                Usd = g.Sum(r => r.Counted ? r.AmountUsd : null),
            });
        var list = (await grouped
                .OrderBy(c => c.Added == 0).ThenByDescending(c => c.Usd).ThenBy(c => c.NameEn)
                .Take(CompanyFundingResult.MaxCompanies)
                .ToListAsync(ct))
            .Select(c => new CompanyFunding(c.Slug, c.NameEn, c.NameZh, c.Rounds, c.Counted, c.Undisclosed, c.Unconverted, c.Ranges, c.Added > 0 ? c.Usd : null))
            .ToList();
        var count = list.Count < CompanyFundingResult.MaxCompanies ? list.Count : await rows.Select(r => r.CompanyId).Distinct().CountAsync(ct);
        return new ByCompany(list, count);
    }

    private sealed record Sums(int Count, int Counted, int Undisclosed, int Unconverted, int Ranges, int Estimated,
        int Approximate, decimal? Usd);

    private static Task<Sums?> SumsAsync(IQueryable<FundingRound> rows, CancellationToken ct) => rows
            .Select(r => new
            {
                // CompanyService.CountedRounds' rule: completed, verified, not an IPO.
                Counted = r.Status == RoundStatus.Completed && !r.IsUnverified && r.Stage != RoundStage.Ipo,
                // FundingTotal.Added: the figure the round adds, in its currency.
                HasFigure = (r.Disclosure == Disclosure.Range ? r.AmountMin : r.Disclosure == Disclosure.Undisclosed ? null : r.Amount) != null,
                r.Disclosure, r.AmountUsd, r.AmountUsdIsApproximate,
            })
            .GroupBy(r => 1)
            .Select(g => new Sums(
                g.Count(),
                g.Count(r => r.Counted),
                g.Count(r => r.Counted && !r.HasFigure),
                g.Count(r => r.Counted && r.HasFigure && r.AmountUsd == null),
                g.Count(r => r.Counted && r.AmountUsd != null && r.Disclosure == Disclosure.Range),
                g.Count(r => r.Counted && r.AmountUsd != null && r.Disclosure == Disclosure.Estimated),
                g.Count(r => r.Counted && r.AmountUsd != null && r.AmountUsdIsApproximate),
                g.Sum(r => r.Counted ? r.AmountUsd : null)))
            .SingleOrDefaultAsync(ct);

    /// <summary>The filters of a query (not its sort or page), as the cache's key: the same filters, the same total.</summary>
    private static string FilterKey(RoundQuery q) => System.Text.Json.JsonSerializer.Serialize(new
    {
        q.From, q.To, q.Stages, q.MinUsdMillions, q.MaxUsdMillions, q.Disclosures,
        Company = q.Company?.Trim().ToLowerInvariant(), Investor = q.Investor?.Trim().ToLowerInvariant(), q.Currencies,
    });

    /// <summary>
    /// Every round the list shows for these filters, in the list's order, with its comparable USD figure: the CSV
    /// export streams exactly this set (paging aside), so a download matches what the editor sees.
    /// </summary>
    public static IQueryable<RoundWithUsd> Matching(AppDbContext db, RoundQuery query) =>
        Order(FilteredRows(db, query), query).Select(r => new RoundWithUsd { Round = r, Usd = r.AmountUsd });

    /// <param name="companyIds">The companies <see cref="RoundQuery.Company"/> matches, when already looked up.</param>
    private static IQueryable<FundingRound> FilteredRows(AppDbContext db, RoundQuery query, List<int>? companyIds = null)
    {
        var rows = Filter(db, db.FundingRounds.AsNoTracking(), query, companyIds);
        // Amount filters compare the stored USD figure, so undisclosed rounds (no figure) never match them.
        if (query.MinUsdMillions is { } min)
        {
            var minUsd = min * 1_000_000m;
            rows = rows.Where(r => r.AmountUsd >= minUsd);
        }
        if (query.MaxUsdMillions is { } max)
        {
            var maxUsd = max * 1_000_000m;
            rows = rows.Where(r => r.AmountUsd <= maxUsd);
        }
        return rows;
    }

    /// <summary>
    /// Values the filters offer: the currencies rounds are reported in. Read by skipping through the currency index
    /// (one probe per distinct currency, a recursive query) rather than reading every round for a dozen values.
    /// </summary>
    public async Task<RoundFilterOptions> GetFilterOptionsAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var currencies = await db.Database.SqlQueryRaw<string>("""
            WITH RECURSIVE c(currency) AS (
                SELECT min(currency) FROM funding_rounds
                UNION ALL
                SELECT (SELECT min(f.currency) FROM funding_rounds f WHERE f.currency > c.currency) FROM c WHERE c.currency IS NOT NULL
            )
            SELECT currency AS "Value" FROM c WHERE currency IS NOT NULL
            """).ToListAsync(ct);
        return new RoundFilterOptions(currencies.Select(c => c.Trim()).Order(StringComparer.Ordinal).ToList());
    }

    private static IQueryable<FundingRound> Filter(AppDbContext db, IQueryable<FundingRound> rounds, RoundQuery q, List<int>? companyIds)
    {
        if (q.From is { } from)
        {
            rounds = rounds.Where(r => r.AnnouncedOn >= from);
        }
        if (q.To is { } to)
        {
            rounds = rounds.Where(r => r.AnnouncedOn <= to);
        }
        if (q.Stages.Count > 0)
        {
            var stages = q.Stages.ToList();
            rounds = rounds.Where(r => stages.Contains(r.Stage));
        }
        if (q.Disclosures.Count > 0)
        {
            var disclosures = q.Disclosures.ToList();
            rounds = rounds.Where(r => disclosures.Contains(r.Disclosure));
        }
        if (q.Currencies.Count > 0)
        {
            var currencies = q.Currencies.Select(c => c.Trim().ToUpperInvariant()).ToList();
            rounds = rounds.Where(r => currencies.Contains(r.Currency));
        }
        if (companyIds is not null)
        {
            rounds = rounds.Where(r => companyIds.Contains(r.CompanyId));
        }
        else if (TextSearch.Parse(q.Company) is { } company)
        {
            var matching = db.Companies.Matching(company).Select(c => c.Id);
            rounds = rounds.Where(r => matching.Contains(r.CompanyId));
        }
        if (TextSearch.Parse(q.Investor) is { } investor)
        {
            var investorIds = db.Investors.Matching(investor).Select(i => i.Id);
            rounds = rounds.Where(r => r.Participations.Any(p => investorIds.Contains(p.InvestorId)));
        }
        return rounds;
    }

    /// <summary>The requested order with undated and amount-less rounds last either way; ties newest first, then by id.</summary>
    /// <remarks>
    /// Each order has an index with the same keys (migration RoundUsdAmount), so a page reads its rows from the index
    /// instead of sorting the whole set: change an order here and its index there together.
    /// </remarks>
    private static IOrderedQueryable<FundingRound> Order(IQueryable<FundingRound> rows, RoundQuery q)
    {
        var ordered = q.Sort switch
        {
            RoundSort.Amount => rows.OrderBy(r => r.AmountUsd == null).ThenSortBy(r => r.AmountUsd, q.Descending),
            RoundSort.Company => rows.SortBy(r => r.Company.NameEn, q.Descending),
            RoundSort.Stage => rows.SortBy(StageRank, q.Descending),
            _ => rows.OrderBy(r => r.AnnouncedOn == null).ThenSortBy(r => r.AnnouncedOn, q.Descending),
        };
        if (q.Sort != RoundSort.Date)
        {
            ordered = ordered.ThenBy(r => r.AnnouncedOn == null).ThenByDescending(r => r.AnnouncedOn);
        }
        return ordered.ThenBy(r => r.Id);
    }

    /// <summary>A CASE over the stored stage names, so stages sort by <see cref="StageOrder"/>, not alphabetically.</summary>
    private static Expression<Func<FundingRound, int>> BuildStageRank()
    {
        var x = Expression.Parameter(typeof(FundingRound), "r");
        var stage = Expression.Property(x, nameof(FundingRound.Stage));
        Expression rank = Expression.Constant(StageOrder.Length);
        for (var i = StageOrder.Length - 1; i >= 0; i--)
        {
            rank = Expression.Condition(Expression.Equal(stage, Expression.Constant(StageOrder[i])), Expression.Constant(i), rank);
        }
        return Expression.Lambda<Func<FundingRound, int>>(rank, x);
    }

}

/// <summary>A round with the USD figure the list filters and sorts on (null when undisclosed or no rate).</summary>
public sealed class RoundWithUsd
{
    public required FundingRound Round { get; init; }
    public decimal? Usd { get; init; }
}

internal static class SortExtensions
{
    public static IOrderedQueryable<T> SortBy<T, TKey>(this IQueryable<T> source, Expression<Func<T, TKey>> key, bool descending) =>
        descending ? source.OrderByDescending(key) : source.OrderBy(key);

    public static IOrderedQueryable<T> ThenSortBy<T, TKey>(this IOrderedQueryable<T> source, Expression<Func<T, TKey>> key, bool descending) =>
        descending ? source.ThenByDescending(key) : source.ThenBy(key);
}

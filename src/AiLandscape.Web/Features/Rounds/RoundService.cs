using System.Linq.Expressions;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Search;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Rounds;

public sealed class RoundService([FromKeyedServices(ReplicaReads.Key)] IDbContextFactory<AppDbContext> factory)
{
    /// <summary>The order stages sort in: the lettered series in sequence, unnamed rounds last.</summary>
    private static readonly RoundStage[] StageOrder =
    [
        RoundStage.Angel, RoundStage.Seed, RoundStage.SeriesA, RoundStage.SeriesB, RoundStage.SeriesC,
        RoundStage.SeriesD, RoundStage.LaterStage, RoundStage.Strategic, RoundStage.PreIpo, RoundStage.Ipo,
        RoundStage.Unnamed,
    ];

    private static readonly Expression<Func<Row, int>> StageRank = BuildStageRank();

    /// <summary>
    /// One page of rounds with the size and total of the whole filtered set, in four SQL commands whatever the page
    /// size or the data: the filtered set's amount columns (count and total), the page, the page's investors, and
    /// the exchange rates. Filtering, sorting and paging all happen in SQL.
    /// </summary>
    public async Task<RoundListResult> ListAsync(RoundQuery query, CancellationToken ct = default)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, 200);
        await using var db = await factory.CreateDbContextAsync(ct);

        var rows = FilteredRows(db, query);

        // Only the size columns of the filtered set: enough to count it and add it up with FundingTotal.
        var countedIds = CompanyService.CountedRounds(db.FundingRounds).Select(r => r.Id);
        var amounts = await rows
            .Select(x => new
            {
                x.Round.Disclosure, x.Round.Currency, x.Round.Amount, x.Round.AmountMin, x.Round.AnnouncedOn, x.Round.AnnouncedPrecision,
                Counted = countedIds.Contains(x.Round.Id),
            })
            .ToListAsync(ct);

        // A page past the end (a stale link after the data shrank) shows the last page rather than nothing.
        var lastPage = Math.Max(0, (amounts.Count - 1) / pageSize);
        var page = Math.Clamp(query.Page, 0, lastPage);

        var pageRows = await Order(rows, query)
            .Skip(page * pageSize).Take(pageSize)
            .Select(x => new
            {
                x.Round.Id,
                CompanySlug = x.Round.Company.Slug,
                CompanyNameEn = x.Round.Company.NameEn,
                CompanyNameZh = x.Round.Company.NameZh,
                x.Round.AnnouncedOn, x.Round.AnnouncedPrecision, x.Round.LabelAsAnnounced, x.Round.Stage,
                x.Round.Status, x.Round.IsUnverified, x.Round.Disclosure, x.Round.Currency, x.Round.Amount,
                x.Round.AmountIsApproximate, x.Round.AmountMin, x.Round.AmountMax, x.Round.AmountText,
                x.Round.PostMoneyValuation, x.Round.PostMoneyCurrency, x.Round.PostMoneyQualifier,
                x.Round.PostMoneyIsEstimate,
                x.Usd,
            })
            .ToListAsync(ct);

        var ids = pageRows.Select(r => r.Id).ToList();
        var participations = await db.Participations.AsNoTracking()
            .Where(p => ids.Contains(p.FundingRoundId))
            .OrderBy(p => p.Id)
            .Select(p => new { p.FundingRoundId, p.IsLead, Investor = new RoundInvestor(p.Investor.Slug, p.Investor.NameEn, p.Investor.NameZh) })
            .ToListAsync(ct);
        var investorsByRound = participations.ToLookup(p => p.FundingRoundId);

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
                    r.Usd);
            })
            .ToList();

        var total = FundingTotal.Sum(
            amounts.Where(a => a.Counted)
                .Select(a => new RoundAmount(a.Disclosure, a.Currency.Trim(), a.Amount, a.AmountMin, a.AnnouncedOn, a.AnnouncedPrecision)),
            converter);
        return new RoundListResult(items, amounts.Count, total, amounts.Count(a => !a.Counted), page);
    }

    /// <summary>
    /// Every round the list shows for these filters, in the list's order, with its comparable USD figure: the CSV
    /// export streams exactly this set (paging aside), so a download matches what the editor sees.
    /// </summary>
    public static IQueryable<RoundWithUsd> Matching(AppDbContext db, RoundQuery query) =>
        Order(FilteredRows(db, query), query).Select(x => new RoundWithUsd { Round = x.Round, Usd = x.Usd });

    private static IQueryable<Row> FilteredRows(AppDbContext db, RoundQuery query)
    {
        var rows = WithComparableUsd(db, Filter(db, db.FundingRounds.AsNoTracking(), query));
        // Amount filters compare the SQL-side USD figure, so undisclosed rounds (no figure) never match them.
        if (query.MinUsdMillions is { } min)
        {
            var minUsd = min * 1_000_000m;
            rows = rows.Where(x => x.Usd >= minUsd);
        }
        if (query.MaxUsdMillions is { } max)
        {
            var maxUsd = max * 1_000_000m;
            rows = rows.Where(x => x.Usd <= maxUsd);
        }
        return rows;
    }

    /// <summary>Values the filters offer: the currencies rounds are reported in.</summary>
    public async Task<RoundFilterOptions> GetFilterOptionsAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var currencies = await db.FundingRounds.AsNoTracking()
            .Select(r => r.Currency).Distinct().OrderBy(c => c)
            .ToListAsync(ct);
        return new RoundFilterOptions(currencies.Select(c => c.Trim()).ToList());
    }

    private static IQueryable<FundingRound> Filter(AppDbContext db, IQueryable<FundingRound> rounds, RoundQuery q)
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
        if (TextSearch.Parse(q.Company) is { } company)
        {
            var companyIds = db.Companies.Matching(company).Select(c => c.Id);
            rounds = rounds.Where(r => companyIds.Contains(r.CompanyId));
        }
        if (TextSearch.Parse(q.Investor) is { } investor)
        {
            var investorIds = db.Investors.Matching(investor).Select(i => i.Id);
            rounds = rounds.Where(r => r.Participations.Any(p => investorIds.Contains(p.InvestorId)));
        }
        return rounds;
    }

    /// <summary>
    /// Adds each round's comparable USD figure, computed in SQL the way <see cref="CurrencyConverter"/> converts in
    /// memory: the amount (a range's minimum) over the rate of the round's month or the nearest earlier stored month,
    /// the earliest stored month for rounds before the series starts, the latest for undated rounds, and the HKD peg
    /// when no HKD rate is stored. Rounds with no figure or no rate get null.
    /// </summary>
    private static IQueryable<Row> WithComparableUsd(AppDbContext db, IQueryable<FundingRound> rounds) =>
        rounds.Select(r => new Row
        {
            Round = r,
            Usd = (r.Disclosure == Disclosure.Range ? r.AmountMin : r.Disclosure == Disclosure.Undisclosed ? null : r.Amount)
                  / (r.Currency == "USD"
                      ? 1m
                      : db.ExchangeRates
                            .Where(x => x.Currency == r.Currency && (r.AnnouncedOn == null || x.Month <= r.AnnouncedOn))
                            .OrderByDescending(x => x.Month)
                            .Select(x => (decimal?)x.UnitsPerUsd)
                            .FirstOrDefault()
                        ?? db.ExchangeRates
                            .Where(x => x.Currency == r.Currency)
                            .OrderBy(x => x.Month)
                            .Select(x => (decimal?)x.UnitsPerUsd)
                            .FirstOrDefault()
                        ?? (r.Currency == "HKD" ? (decimal?)CurrencyConverter.HkdPegMidpoint : null)),
        });

    /// <summary>The requested order with undated and amount-less rounds last either way; ties newest first, then by id.</summary>
    private static IOrderedQueryable<Row> Order(IQueryable<Row> rows, RoundQuery q)
    {
        var ordered = q.Sort switch
        {
            RoundSort.Amount => rows.OrderBy(x => x.Usd == null).ThenSortBy(x => x.Usd, q.Descending),
            RoundSort.Company => rows.SortBy(x => x.Round.Company.NameEn, q.Descending),
            RoundSort.Stage => rows.SortBy(StageRank, q.Descending),
            _ => rows.OrderBy(x => x.Round.AnnouncedOn == null).ThenSortBy(x => x.Round.AnnouncedOn, q.Descending),
        };
        if (q.Sort != RoundSort.Date)
        {
            ordered = ordered.ThenBy(x => x.Round.AnnouncedOn == null).ThenByDescending(x => x.Round.AnnouncedOn);
        }
        return ordered.ThenBy(x => x.Round.Id);
    }

    /// <summary>A CASE over the stored stage names, so stages sort by <see cref="StageOrder"/>, not alphabetically.</summary>
    private static Expression<Func<Row, int>> BuildStageRank()
    {
        var x = Expression.Parameter(typeof(Row), "x");
        var stage = Expression.Property(Expression.Property(x, nameof(Row.Round)), nameof(FundingRound.Stage));
        Expression rank = Expression.Constant(StageOrder.Length);
        for (var i = StageOrder.Length - 1; i >= 0; i--)
        {
            rank = Expression.Condition(Expression.Equal(stage, Expression.Constant(StageOrder[i])), Expression.Constant(i), rank);
        }
        return Expression.Lambda<Func<Row, int>>(rank, x);
    }

    private sealed class Row
    {
        public required FundingRound Round { get; init; }
        public decimal? Usd { get; init; }
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

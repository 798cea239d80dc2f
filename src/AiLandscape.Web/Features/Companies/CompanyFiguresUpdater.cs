using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Web.Features.Companies;

/// <summary>
/// Recomputes the stored <see cref="CompanyFigures"/> of some companies (or all) from their rounds, participations
/// and valuations, with the same rules the pages use (<see cref="FundingTotal"/>), and the stored USD amount of each of
/// their rounds (<see cref="FundingRound.AmountUsd"/>, the figure the total adds). Call it in the transaction of any
/// write that changes those, and after exchange rates change.
/// </summary>
public static class CompanyFiguresUpdater
{
    public static async Task RefreshAsync(AppDbContext db, IReadOnlyCollection<int>? companyIds, CancellationToken ct = default)
    {
        // Two saves refreshing one company at once take turns: each replaces its spans (DELETE, then INSERT), and the
        // second's INSERT would collide with the first's rows, which its DELETE could not see. Rows are locked in id
        // order; the statements after the lock read what the other save committed.
        await db.Database.ExecuteSqlRawAsync("""
            SELECT 1 FROM companies WHERE @all OR id = ANY(@ids) ORDER BY id FOR NO KEY UPDATE
            """, [new NpgsqlParameter("all", companyIds is null), new NpgsqlParameter("ids", companyIds?.ToArray() ?? [])], ct);
        var computed = await ComputeAsync(db, companyIds, ct);
        await StoreRoundAmountsAsync(db, computed.Rounds.Where(r => !r.Same), ct);
        await StoreFiguresAsync(db, computed.Ids, computed.Figures, ct);
        await StoreStepsAsync(db, computed.Ids, computed.Steps, ct);
    }

    /// <summary>What <see cref="RefreshAsync"/> stores, computed from the rows <paramref name="db"/> reads (today's, or a past
    /// instant's through a <see cref="AsOf.KnowledgeTimeDbContext"/>), without writing.</summary>
    internal static async Task<Computed> ComputeAsync(AppDbContext db, IReadOnlyCollection<int>? companyIds, CancellationToken ct,
        bool withSpans = true)
    {
        var companies = db.Companies.AsNoTracking();
        var rounds = db.FundingRounds.AsNoTracking();
        var valuations = db.ValuationPoints.AsNoTracking().Where(v => !v.IsUnverified);
        var participations = db.Participations.AsNoTracking();
        if (companyIds is not null)
        {
            companies = companies.Where(c => companyIds.Contains(c.Id));
            rounds = rounds.Where(r => companyIds.Contains(r.CompanyId));
            valuations = valuations.Where(v => companyIds.Contains(v.CompanyId));
            participations = participations.Where(p => companyIds.Contains(p.FundingRound.CompanyId));
        }

        var converter = await CurrencyConverter.LoadAsync(db, ct);
        var roundRows = await rounds
            .Select(r => new
            {
                r.Id, r.CompanyId, r.AnnouncedOn, r.Status, r.IsUnverified, r.Stage, r.AmountUsd, r.AmountUsdIsApproximate,
                Amount = new RoundAmount(r.Disclosure, r.Currency, r.Amount, r.AmountMin, r.AnnouncedOn, r.AnnouncedPrecision),
            })
            .ToListAsync(ct);
        var valuationRows = await valuations
            .Select(v => new Valuation(v.CompanyId, v.Id, v.Amount, v.Currency, v.ValuedOn, v.Precision, v.Qualifier))
            .ToListAsync(ct);
        // Each investor once per company, with the date of its first dated round there (null: only undated rounds).
        var backers = await participations
            .GroupBy(p => new { p.FundingRound.CompanyId, p.InvestorId })
            .Select(g => new { g.Key.CompanyId, First = g.Min(p => p.FundingRound.AnnouncedOn) })
            .ToListAsync(ct);

        var roundAmounts = roundRows.Select(r => RoundUsdOf(r.Id, r.Amount, r.AmountUsd, r.AmountUsdIsApproximate, converter)).ToList();
        var roundsByCompany = roundRows.Select(r => new Round(r.CompanyId, r.Id, r.Status, r.IsUnverified, r.Stage, r.Amount))
            .ToLookup(r => r.CompanyId);
        var valuationsByCompany = valuationRows.ToLookup(v => v.CompanyId);
        var backersByCompany = backers.ToLookup(b => b.CompanyId, b => b.First);
        var ids = await companies.Select(c => c.Id).ToListAsync(ct);
        var figures = new List<CompanyFigures>(ids.Count);
        var steps = new List<CompanyFigureStep>();
        foreach (var id in ids)
        {
            var itsRounds = roundsByCompany[id].ToList();
            var vals = valuationsByCompany[id].ToList();
            var firsts = backersByCompany[id].ToList();
            figures.Add(FiguresOf(itsRounds, vals, firsts.Count, converter));
            if (!withSpans)
            {
                continue;
            }
            // Event time: one span from each date a round or valuation is dated, each counting what is dated by then.
            var dates = itsRounds.Where(r => r.Amount.AnnouncedOn is not null).Select(r => r.Amount.AnnouncedOn!.Value)
                .Concat(vals.Select(v => v.ValuedOn)).Distinct().Order().ToList();
            var from = DateOnly.MinValue;
            foreach (var date in dates.Append(DateOnly.MaxValue))
            {
                var until = date == DateOnly.MaxValue ? (DateOnly?)null : date;
                var dated = itsRounds.Where(r => r.Amount.AnnouncedOn <= from).ToList();
                steps.Add(new CompanyFigureStep
                {
                    CompanyId = id, FromOn = from, UntilOn = until,
                    Figures = FiguresOf(dated, vals.Where(v => v.ValuedOn <= from).ToList(),
                        firsts.Count(f => f <= from), converter),
                });
                from = date;
            }
        }
        return new Computed(ids, figures, steps, roundAmounts);
    }

    /// <summary>The companies' figures (in <paramref name="Ids"/>' order), their event-time spans, and each of their
    /// rounds' USD amount beside the one stored.</summary>
    internal sealed record Computed(List<int> Ids, List<CompanyFigures> Figures, List<CompanyFigureStep> Steps, List<RoundUsd> Rounds);

    /// <summary>A round's USD amount as the total adds it, rounded as the column stores it, beside what is stored.</summary>
    internal sealed record RoundUsd(int Id, decimal? Usd, bool Approximate, bool Same);

    private static RoundUsd RoundUsdOf(int id, RoundAmount amount, decimal? storedUsd, bool storedApproximate, CurrencyConverter converter)
    {
        var usd = FundingTotal.Added(amount) is { } added ? converter.ToUsd(added, amount.Currency, amount.AnnouncedOn, amount.AnnouncedPrecision) : null;
        // Rounded as the column stores it, so an unchanged figure compares equal.
        var value = usd is null ? (decimal?)null : Math.Round(usd.Usd, 4);
        var approximate = usd?.IsApproximate ?? false;
        return new RoundUsd(id, value, approximate, value == storedUsd && approximate == storedApproximate);
    }

    private sealed record Round(int CompanyId, int Id, RoundStatus Status, bool IsUnverified, RoundStage Stage, RoundAmount Amount);

    private sealed record Valuation(int CompanyId, int Id, decimal Amount, string Currency, DateOnly ValuedOn, DatePrecision Precision,
        FigureQualifier Qualifier);

    private static CompanyFigures FiguresOf(List<Round> rounds, List<Valuation> valuations, int investors, CurrencyConverter converter)
    {
        var counted = rounds.Where(r => r.Status == RoundStatus.Completed && !r.IsUnverified && r.Stage != RoundStage.Ipo);
        var total = FundingTotal.Sum(counted.Select(r => r.Amount), converter);
        var valuation = valuations.MaxBy(v => (v.ValuedOn, v.Id));
        // The last round's date at that round's precision (of two on the same day, the later entered).
        var last = rounds.Where(r => r.Amount.AnnouncedOn is not null).MaxBy(r => (r.Amount.AnnouncedOn, r.Id));
        return new CompanyFigures
        {
            TotalRaisedUsd = total.HasAnyAmount ? total.Usd : null,
            TotalRaisedIsFloor = total.IsLowerBound,
            RoundCount = rounds.Count,
            UndisclosedRoundCount = total.UndisclosedCount,
            InvestorCount = investors,
            LastRoundOn = last?.Amount.AnnouncedOn,
            LastRoundPrecision = last?.Amount.AnnouncedPrecision ?? DatePrecision.Day,
            LatestValuationUsd = valuation is null ? null
                : converter.ToUsd(valuation.Amount, valuation.Currency, valuation.ValuedOn, valuation.Precision)?.Usd,
            LatestValuationOn = valuation?.ValuedOn,
            LatestValuationPrecision = valuation?.Precision ?? DatePrecision.Day,
            // The valuation's own qualifier, as the profile prefixes it (a converted figure is marked apart, "≈ US$…").
            LatestValuationQualifier = valuation?.Qualifier ?? FigureQualifier.Exact,
        };
    }

    /// <summary>Replaces the companies' event-time spans: one DELETE and one INSERT whatever their number.</summary>
    private static async Task StoreStepsAsync(AppDbContext db, List<int> ids, List<CompanyFigureStep> steps, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync("""
            DELETE FROM company_figure_steps WHERE company_id = ANY(@ids);
            INSERT INTO company_figure_steps (company_id, from_on, until_on, total_raised_usd, total_raised_is_floor,
                round_count, undisclosed_round_count, investor_count, last_round_on, last_round_precision,
                latest_valuation_usd, latest_valuation_on, latest_valuation_precision, latest_valuation_qualifier)
            SELECT company_id, from_on, until_on, round(total, 2), is_floor, rounds, undisclosed, investors, last_round,
                   last_round_precision, round(valuation, 2), valued_on, valued_precision, valued_qualifier
            FROM unnest(@company, @from, @until, @total, @is_floor, @rounds, @undisclosed, @investors, @last_round,
                        @last_round_precision, @valuation, @valued_on, @valued_precision, @valued_qualifier)
                AS v(company_id, from_on, until_on, total, is_floor, rounds, undisclosed, investors, last_round,
                     last_round_precision, valuation, valued_on, valued_precision, valued_qualifier)
            """,
            [
                new NpgsqlParameter("ids", ids.ToArray()),
                new NpgsqlParameter("company", steps.Select(s => s.CompanyId).ToArray()),
                new NpgsqlParameter("from", steps.Select(s => s.FromOn).ToArray()),
                new NpgsqlParameter("until", steps.Select(s => s.UntilOn).ToArray()),
                new NpgsqlParameter("total", steps.Select(s => s.Figures.TotalRaisedUsd).ToArray()),
                new NpgsqlParameter("is_floor", steps.Select(s => s.Figures.TotalRaisedIsFloor).ToArray()),
                new NpgsqlParameter("rounds", steps.Select(s => s.Figures.RoundCount).ToArray()),
                new NpgsqlParameter("undisclosed", steps.Select(s => s.Figures.UndisclosedRoundCount).ToArray()),
                new NpgsqlParameter("investors", steps.Select(s => s.Figures.InvestorCount).ToArray()),
                new NpgsqlParameter("last_round", steps.Select(s => s.Figures.LastRoundOn).ToArray()),
                new NpgsqlParameter("last_round_precision", steps.Select(s => s.Figures.LastRoundPrecision.ToString()).ToArray()),
                new NpgsqlParameter("valuation", steps.Select(s => s.Figures.LatestValuationUsd).ToArray()),
                new NpgsqlParameter("valued_on", steps.Select(s => s.Figures.LatestValuationOn).ToArray()),
                new NpgsqlParameter("valued_precision", steps.Select(s => s.Figures.LatestValuationPrecision.ToString()).ToArray()),
                new NpgsqlParameter("valued_qualifier", steps.Select(s => s.Figures.LatestValuationQualifier.ToString()).ToArray()),
            ], ct);
    }

    /// <summary>
    /// One UPDATE for all companies (an exchange-rate change or an as-of view of the whole landscape touches tens of
    /// thousands), writing only rows whose figures changed, so a company's version moves only when they did.
    /// Rounded as the columns store them, so unchanged figures compare equal.
    /// </summary>
    private static async Task StoreFiguresAsync(AppDbContext db, List<int> ids, List<CompanyFigures> figures, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync("""
            UPDATE companies AS c SET total_raised_usd = v.total, total_raised_is_floor = v.is_floor, round_count = v.rounds,
                undisclosed_round_count = v.undisclosed, investor_count = v.investors, last_round_on = v.last_round,
                last_round_precision = v.last_round_precision, latest_valuation_usd = v.valuation,
                latest_valuation_on = v.valued_on, latest_valuation_precision = v.valued_precision,
                latest_valuation_qualifier = v.valued_qualifier
            FROM unnest(@ids, @total, @is_floor, @rounds, @undisclosed, @investors, @last_round, @last_round_precision,
                        @valuation, @valued_on, @valued_precision, @valued_qualifier)
                AS v(id, total, is_floor, rounds, undisclosed, investors, last_round, last_round_precision, valuation,
                     valued_on, valued_precision, valued_qualifier)
            WHERE c.id = v.id
              AND (c.total_raised_usd, c.total_raised_is_floor, c.round_count, c.undisclosed_round_count, c.investor_count,
                   c.last_round_on, c.last_round_precision, c.latest_valuation_usd, c.latest_valuation_on,
                   c.latest_valuation_precision, c.latest_valuation_qualifier)
                  IS DISTINCT FROM (round(v.total, 2), v.is_floor, v.rounds, v.undisclosed, v.investors, v.last_round,
                   v.last_round_precision, round(v.valuation, 2), v.valued_on, v.valued_precision, v.valued_qualifier)
            """,
            [
                new NpgsqlParameter("ids", ids.ToArray()),
                new NpgsqlParameter("total", figures.Select(f => f.TotalRaisedUsd).ToArray()),
                new NpgsqlParameter("is_floor", figures.Select(f => f.TotalRaisedIsFloor).ToArray()),
                new NpgsqlParameter("rounds", figures.Select(f => f.RoundCount).ToArray()),
                new NpgsqlParameter("undisclosed", figures.Select(f => f.UndisclosedRoundCount).ToArray()),
                new NpgsqlParameter("investors", figures.Select(f => f.InvestorCount).ToArray()),
                new NpgsqlParameter("last_round", figures.Select(f => f.LastRoundOn).ToArray()),
                new NpgsqlParameter("last_round_precision", figures.Select(f => f.LastRoundPrecision.ToString()).ToArray()),
                new NpgsqlParameter("valuation", figures.Select(f => f.LatestValuationUsd).ToArray()),
                new NpgsqlParameter("valued_on", figures.Select(f => f.LatestValuationOn).ToArray()),
                new NpgsqlParameter("valued_precision", figures.Select(f => f.LatestValuationPrecision.ToString()).ToArray()),
                new NpgsqlParameter("valued_qualifier", figures.Select(f => f.LatestValuationQualifier.ToString()).ToArray()),
            ], ct);
    }

    /// <summary>
    /// Writes each round's USD amount as <see cref="FundingTotal.Sum"/> converts it (so the list's SQL total equals the
    /// in-memory one), in one UPDATE of only the rounds whose figure changed: an exchange-rate change rewrites just the
    /// rounds in that currency, and an edit just the edited round.
    /// </summary>
    private static async Task StoreRoundAmountsAsync(AppDbContext db, IEnumerable<RoundUsd> rounds, CancellationToken ct)
    {
        var changed = rounds.ToList();
        if (changed.Count == 0)
        {
            return;
        }
        await db.Database.ExecuteSqlRawAsync("""
            UPDATE funding_rounds AS r SET amount_usd = v.usd, amount_usd_is_approximate = v.approximate
            FROM unnest(@ids, @usd, @approximate) AS v(id, usd, approximate)
            WHERE r.id = v.id AND (r.amount_usd, r.amount_usd_is_approximate) IS DISTINCT FROM (v.usd, v.approximate)
            """,
            [
                new NpgsqlParameter("ids", changed.Select(r => r.Id).ToArray()),
                new NpgsqlParameter("usd", changed.Select(r => r.Usd).ToArray()),
                new NpgsqlParameter("approximate", changed.Select(r => r.Approximate).ToArray()),
            ], ct);
    }
}

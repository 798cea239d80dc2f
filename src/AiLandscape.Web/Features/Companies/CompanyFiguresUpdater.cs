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
        var latest = await valuations
            .GroupBy(v => v.CompanyId)
            .Select(g => g.OrderByDescending(v => v.ValuedOn).ThenByDescending(v => v.Id)
                .Select(v => new { v.CompanyId, v.Amount, v.Currency, v.ValuedOn, v.Precision }).First())
            .ToListAsync(ct);
        var investorCounts = await participations
            .GroupBy(p => p.FundingRound.CompanyId)
            .Select(g => new { CompanyId = g.Key, Count = g.Select(p => p.InvestorId).Distinct().Count() })
            .ToDictionaryAsync(x => x.CompanyId, x => x.Count, ct);

        await StoreRoundAmountsAsync(db, roundRows.Select(r => (r.Id, r.Amount, r.AmountUsd, r.AmountUsdIsApproximate)), converter, ct);

        var roundsByCompany = roundRows.ToLookup(r => r.CompanyId);
        var latestByCompany = latest.ToDictionary(v => v.CompanyId);
        var ids = await companies.Select(c => c.Id).ToListAsync(ct);
        var figures = ids.Select(id =>
        {
            var all = roundsByCompany[id].ToList();
            var counted = all.Where(r => r.Status == RoundStatus.Completed && !r.IsUnverified && r.Stage != RoundStage.Ipo);
            var total = FundingTotal.Sum(counted.Select(r => r.Amount), converter);
            var valuation = latestByCompany.GetValueOrDefault(id);
            // The last round's date at that round's precision (of two on the same day, the later entered).
            var last = all.Where(r => r.AnnouncedOn is not null).MaxBy(r => (r.AnnouncedOn, r.Id));
            return new CompanyFigures
            {
                TotalRaisedUsd = total.HasAnyAmount ? total.Usd : null,
                TotalRaisedIsFloor = total.IsLowerBound,
                RoundCount = all.Count,
                UndisclosedRoundCount = total.UndisclosedCount,
                InvestorCount = investorCounts.GetValueOrDefault(id),
                LastRoundOn = last?.AnnouncedOn,
                LastRoundPrecision = last?.Amount.AnnouncedPrecision ?? DatePrecision.Day,
                LatestValuationUsd = valuation is null ? null
                    : converter.ToUsd(valuation.Amount, valuation.Currency, valuation.ValuedOn, valuation.Precision)?.Usd,
                LatestValuationOn = valuation?.ValuedOn,
                LatestValuationPrecision = valuation?.Precision ?? DatePrecision.Day,
            };
        }).ToList();

        await StoreFiguresAsync(db, ids, figures, ct);
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
                latest_valuation_on = v.valued_on, latest_valuation_precision = v.valued_precision
            FROM unnest(@ids, @total, @is_floor, @rounds, @undisclosed, @investors, @last_round, @last_round_precision,
                        @valuation, @valued_on, @valued_precision)
                AS v(id, total, is_floor, rounds, undisclosed, investors, last_round, last_round_precision, valuation,
                     valued_on, valued_precision)
            WHERE c.id = v.id
              AND (c.total_raised_usd, c.total_raised_is_floor, c.round_count, c.undisclosed_round_count, c.investor_count,
                   c.last_round_on, c.last_round_precision, c.latest_valuation_usd, c.latest_valuation_on,
                   c.latest_valuation_precision)
                  IS DISTINCT FROM (round(v.total, 2), v.is_floor, v.rounds, v.undisclosed, v.investors, v.last_round,
                   v.last_round_precision, round(v.valuation, 2), v.valued_on, v.valued_precision)
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
            ], ct);
    }

    /// <summary>
    /// Writes each round's USD amount as <see cref="FundingTotal.Sum"/> converts it (so the list's SQL total equals the
    /// in-memory one), in one UPDATE of only the rounds whose figure changed: an exchange-rate change rewrites just the
    /// rounds in that currency, and an edit just the edited round.
    /// </summary>
    private static async Task StoreRoundAmountsAsync(AppDbContext db,
        IEnumerable<(int Id, RoundAmount Amount, decimal? StoredUsd, bool StoredApproximate)> rounds, CurrencyConverter converter,
        CancellationToken ct)
    {
        var changed = rounds
            .Select(r =>
            {
                var usd = FundingTotal.Added(r.Amount) is { } amount ? converter.ToUsd(amount, r.Amount.Currency, r.Amount.AnnouncedOn, r.Amount.AnnouncedPrecision) : null;
                // Rounded as the column stores it, so an unchanged figure compares equal.
                var value = usd is null ? (decimal?)null : Math.Round(usd.Usd, 4);
                return (r.Id, Usd: value, Approximate: usd?.IsApproximate ?? false, Same: value == r.StoredUsd && (usd?.IsApproximate ?? false) == r.StoredApproximate);
            })
            .Where(r => !r.Same)
            .ToList();
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

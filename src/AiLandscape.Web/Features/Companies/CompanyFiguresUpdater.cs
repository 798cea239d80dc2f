using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Companies;

/// <summary>
/// Recomputes the stored <see cref="CompanyFigures"/> of some companies (or all) from their rounds, participations
/// and valuations, with the same rules the pages use (<see cref="FundingTotal"/>). Call it in the transaction of any
/// write that changes those, and after exchange rates change.
/// </summary>
public static class CompanyFiguresUpdater
{
    public static async Task RefreshAsync(AppDbContext db, IReadOnlyCollection<int>? companyIds, CancellationToken ct = default)
    {
        var companies = db.Companies.AsQueryable();
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
                r.CompanyId, r.AnnouncedOn, r.Status, r.IsUnverified, r.Stage,
                Amount = new RoundAmount(r.Disclosure, r.Currency, r.Amount, r.AmountMin, r.AnnouncedOn),
            })
            .ToListAsync(ct);
        var latest = await valuations
            .GroupBy(v => v.CompanyId)
            .Select(g => g.OrderByDescending(v => v.ValuedOn).ThenByDescending(v => v.Id)
                .Select(v => new { v.CompanyId, v.Amount, v.Currency, v.ValuedOn }).First())
            .ToListAsync(ct);
        var investorCounts = await participations
            .GroupBy(p => p.FundingRound.CompanyId)
            .Select(g => new { CompanyId = g.Key, Count = g.Select(p => p.InvestorId).Distinct().Count() })
            .ToDictionaryAsync(x => x.CompanyId, x => x.Count, ct);

        var roundsByCompany = roundRows.ToLookup(r => r.CompanyId);
        var latestByCompany = latest.ToDictionary(v => v.CompanyId);
        foreach (var company in await companies.ToListAsync(ct))
        {
            var all = roundsByCompany[company.Id].ToList();
            var counted = all.Where(r => r.Status == RoundStatus.Completed && !r.IsUnverified && r.Stage != RoundStage.Ipo);
            var total = FundingTotal.Sum(counted.Select(r => r.Amount), converter);
            var valuation = latestByCompany.GetValueOrDefault(company.Id);
            company.Figures = new CompanyFigures
            {
                TotalRaisedUsd = total.HasAnyAmount ? total.Usd : null,
                TotalRaisedIsFloor = total.IsLowerBound,
                RoundCount = all.Count,
                UndisclosedRoundCount = total.UndisclosedCount,
                InvestorCount = investorCounts.GetValueOrDefault(company.Id),
                LastRoundOn = all.Max(r => r.AnnouncedOn),
                LatestValuationUsd = valuation is null ? null
                    : converter.ToUsd(valuation.Amount, valuation.Currency, valuation.ValuedOn)?.Usd,
                LatestValuationOn = valuation?.ValuedOn,
            };
        }
        await db.SaveChangesAsync(ct);
    }
}

using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Companies;

public sealed class CompanyService(IDbContextFactory<AppDbContext> factory)
{
    /// <summary>
    /// A page of companies with their latest valuation and total raised, in four SQL commands whatever the page
    /// size: count, the page with each latest valuation, the page's rounds, and the exchange rates.
    /// </summary>
    public async Task<PagedResult<CompanyListItem>> ListAsync(int page, int pageSize, CancellationToken ct = default)
    {
        pageSize = Math.Clamp(pageSize, 1, 200);
        page = Math.Max(page, 0);
        await using var db = await factory.CreateDbContextAsync(ct);

        var total = await db.Companies.CountAsync(ct);
        var rows = await db.Companies.AsNoTracking()
            .OrderBy(c => c.NameEn).ThenBy(c => c.Id)
            .Skip(page * pageSize).Take(pageSize)
            .Select(c => new
            {
                c.Id, c.Slug, c.NameEn, c.NameZh, c.HeadquartersCity, c.Status, c.ListingVenue, c.Ticker, c.Groups,
                Latest = c.Valuations
                    .Where(v => !v.IsUnverified)
                    .OrderByDescending(v => v.ValuedOn).ThenByDescending(v => v.Id)
                    .Select(v => new { v.Amount, v.Currency, v.Qualifier, v.Basis, v.ValuedOn, v.Precision })
                    .FirstOrDefault(),
            })
            .ToListAsync(ct);

        var ids = rows.Select(r => r.Id).ToList();
        var rounds = await CountedRounds(db.FundingRounds.AsNoTracking().Where(r => ids.Contains(r.CompanyId)))
            .Select(r => new { r.CompanyId, Amount = new RoundAmount(r.Disclosure, r.Currency, r.Amount, r.AmountMin, r.AnnouncedOn) })
            .ToListAsync(ct);
        var roundsByCompany = rounds.ToLookup(r => r.CompanyId, r => r.Amount);
        var converter = await CurrencyConverter.LoadAsync(db, ct);

        var items = rows.Select(r => new CompanyListItem(
                r.Id, r.Slug, r.NameEn, r.NameZh, r.HeadquartersCity, r.Status, r.ListingVenue, r.Ticker, r.Groups,
                r.Latest is null ? null : new ValuationFigure(r.Latest.Amount, r.Latest.Currency, r.Latest.Qualifier,
                    r.Latest.Basis, r.Latest.ValuedOn, r.Latest.Precision,
                    converter.ToUsd(r.Latest.Amount, r.Latest.Currency, r.Latest.ValuedOn)),
                FundingTotal.Sum(roundsByCompany[r.Id], converter)))
            .ToList();
        return new PagedResult<CompanyListItem>(items, total);
    }

    /// <summary>
    /// The rounds that count towards "total raised": completed private rounds that a source backs. IPO proceeds,
    /// rounds still being raised and unverified rounds are shown elsewhere but not added up.
    /// </summary>
    public static IQueryable<FundingRound> CountedRounds(IQueryable<FundingRound> rounds) => rounds.Where(r =>
        r.Status == RoundStatus.Completed && !r.IsUnverified && r.Stage != RoundStage.Ipo);
}

using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Dashboard;

/// <summary>
/// The landscape at a glance, in ten SQL commands whatever the data size, computed once per data version when a
/// <see cref="ChangeKeyedCache"/> is given (then one command to read the version), see ADR 0023.
/// </summary>
public sealed class DashboardService([FromKeyedServices(ReplicaReads.Key)] IDbContextFactory<AppDbContext> factory,
    ChangeKeyedCache? cache = null)
{
    public const int ListedWithoutValuation = 10;
    public const int StackedCompanies = 8;
    public const string OtherCompanies = "Other companies";

    public async Task<Dashboard> GetAsync(CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        // A day in the past is kept at low priority: a visitor stepping through many days must not push out today's.
        return cache is null ? await ComputeAsync(db, ct)
            : await cache.GetOrComputeAsync(db, "dashboard", t => ComputeAsync(db, t), ct, lowPriority: db is AsOfDbContext);
    }

    private async Task<Dashboard> ComputeAsync(AppDbContext db, CancellationToken ct)
    {
        var converter = await CurrencyConverter.LoadAsync(db, ct);

        var funding = await FundingAsync(db, converter, ct);
        var undated = await CompanyService.CountedRounds(db.FundingRounds).CountAsync(r => r.AnnouncedOn == null, ct);

        var top = await db.Companies.AsNoTracking()
            .Where(c => c.Figures.LatestValuationUsd != null)
            .OrderByDescending(c => c.Figures.LatestValuationUsd).ThenBy(c => c.NameEn)
            .Take(10)
            .Select(c => new TopValuation(c.Slug, c.NameEn, c.NameZh, c.Figures.LatestValuationUsd!.Value,
                c.Figures.LatestValuationQualifier, c.Figures.LatestValuationOn!.Value, c.Figures.LatestValuationPrecision))
            .ToListAsync(ct);

        var withoutValuation = await db.Companies.AsNoTracking()
            .Where(c => c.Figures.LatestValuationUsd == null)
            .OrderBy(c => c.NameEn).Take(ListedWithoutValuation).Select(c => c.NameEn)
            .ToListAsync(ct);

        var latestRounds = (await db.FundingRounds.AsNoTracking()
                .Where(r => r.AnnouncedOn != null && !r.IsUnverified)
                .OrderByDescending(r => r.AnnouncedOn).ThenByDescending(r => r.Id)
                .Take(8)
                .Select(r => new
                {
                    r.Company.Slug, r.Company.NameEn, r.Company.NameZh, r.AnnouncedOn, r.AnnouncedPrecision,
                    r.LabelAsAnnounced, r.Stage, r.Disclosure, r.Currency, r.Amount, r.AmountIsApproximate, r.AmountMin, r.AmountMax,
                })
                .ToListAsync(ct))
            .Select(r => new LatestRound(r.Slug, r.NameEn, r.NameZh, r.AnnouncedOn, r.AnnouncedPrecision, r.LabelAsAnnounced,
                r.Stage, Format.RoundSize(r.Disclosure, r.Currency, r.Amount, r.AmountIsApproximate, r.AmountMin, r.AmountMax)))
            .ToList();

        var active = await ActiveInvestorsAsync(db, ct);
        var investors = active.OrderByDescending(i => i.Rounds).ThenByDescending(i => i.Leads).ThenBy(i => i.NameEn).ToList();

        var models = await db.ModelReleases.AsNoTracking()
            .Where(m => m.ReleasedOn != null)
            .GroupBy(m => m.ReleasedOn!.Value.Year)
            .OrderBy(g => g.Key)
            .Select(g => new ModelYear(g.Key, g.Count(m => m.OpenWeights == true), g.Count(m => m.OpenWeights == false),
                g.Count(m => m.OpenWeights == null)))
            .ToListAsync(ct);

        return new Dashboard(funding, undated, top, withoutValuation, latestRounds, investors, models);
    }

    /// <summary>Counted rounds' amounts in USD per year, company (the top raisers, the rest as one) and stage: three commands.</summary>
    private static async Task<List<FundingSlice>> FundingAsync(AppDbContext db, CurrencyConverter converter, CancellationToken ct)
    {
        // Stacking by company names the companies that raised most; the rest share one "Other companies" slice, so the
        // result stays small at any number of companies. Aggregated in SQL per year, stage, currency and company.
        var topIds = await db.Companies.AsNoTracking()
            .Where(c => c.Figures.TotalRaisedUsd != null)
            // The directory's "total raised, descending" order, so its index answers without reading every company.
            .OrderBy(c => c.Figures.TotalRaisedUsd == null).ThenByDescending(c => c.Figures.TotalRaisedUsd).ThenBy(c => c.Id)
            .Take(StackedCompanies).Select(c => c.Id)
            .ToListAsync(ct);
        var grouped = await CompanyService.CountedRounds(db.FundingRounds.AsNoTracking())
            .Where(r => r.AnnouncedOn != null)
            .GroupBy(r => new
            {
                r.AnnouncedOn!.Value.Year, r.Stage, r.Currency,
                CompanyId = topIds.Contains(r.CompanyId) ? r.CompanyId : (int?)null,
            })
            .Select(g => new
            {
                g.Key.Year, g.Key.Stage, g.Key.Currency, g.Key.CompanyId,
                Disclosed = g.Sum(r => r.Disclosure == Disclosure.Range ? r.AmountMin ?? 0 : r.Amount ?? 0),
                Rounds = g.Count(),
                Undisclosed = g.Count(r => (r.Disclosure == Disclosure.Range ? r.AmountMin : r.Amount) == null),
                Ranges = g.Count(r => r.Disclosure == Disclosure.Range && r.AmountMin != null),
            })
            .ToListAsync(ct);
        var names = await db.Companies.AsNoTracking().Where(c => topIds.Contains(c.Id))
            .ToDictionaryAsync(c => c.Id, c => (c.Slug, c.NameEn), ct);
        return grouped
            .GroupBy(g => new { g.Year, g.CompanyId, g.Stage })
            .Select(g =>
            {
                var (slug, name) = g.Key.CompanyId is { } id ? names[id] : ("", OtherCompanies);
                return new FundingSlice(g.Key.Year, slug, name, g.Key.Stage,
                    g.Sum(x => x.Disclosed == 0 ? 0 : converter.ToUsd(x.Disclosed, x.Currency, new DateOnly(x.Year, 6, 1))?.Usd ?? 0),
                    g.Sum(x => x.Rounds), g.Sum(x => x.Undisclosed), g.Sum(x => x.Ranges)) { CompanyId = g.Key.CompanyId };
            })
            .OrderBy(s => s.Year).ThenBy(s => s.CompanyName)
            .ToList();
    }

    private async Task<List<ActiveInvestor>> ActiveInvestorsAsync(AppDbContext db, CancellationToken ct)
    {
        // The figures /investors and the investor profile show (InvestorCredit), then only the ten most active named.
        // Today's are stored on each investor (ADR 0021; counting them here took 0.7-1.9 s at 1,000x after every edit).
        // An event-time view reads each investor's span holding its day (InvestorFigureStep, filtered by the context;
        // counting the participations dated by then took 0.4 s at 1,000x); a knowledge-time view reads the investors'
        // figures as they were stored then.
        return db is EventTimeDbContext
            ? await db.InvestorFigureSteps
                .OrderByDescending(s => s.RoundCount).ThenByDescending(s => s.LeadCount).ThenBy(s => s.InvestorId)
                .Take(10)
                .Join(db.Investors, s => s.InvestorId, i => i.Id,
                    (s, i) => new ActiveInvestor(i.Slug, i.NameEn, i.NameZh, s.RoundCount, s.LeadCount, s.CompanyCount))
                .ToListAsync(ct)
            : await db.Investors.AsNoTracking()
                .Where(i => i.Figures.RoundCount > 0)
                .OrderByDescending(i => i.Figures.RoundCount).ThenByDescending(i => i.Figures.LeadCount).ThenBy(i => i.Id)
                .Take(10)
                .Select(i => new ActiveInvestor(i.Slug, i.NameEn, i.NameZh, i.Figures.RoundCount, i.Figures.LeadCount, i.Figures.CompanyCount))
                .ToListAsync(ct);
    }
}

using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Compare;

/// <summary>Side-by-side figures for 2 to 8 companies in one currency, in five SQL commands.</summary>
public sealed class CompareService([FromKeyedServices(ReplicaReads.Key)] IDbContextFactory<AppDbContext> factory)
{
    public const int MaxCompanies = 8;
    public const string DefaultGroup = "Six Tigers";

    public async Task<CompareResult> CompareAsync(IReadOnlyList<string> slugs, RateMode rates, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var requested = slugs.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct().Take(MaxCompanies).ToList();
        var useDefault = requested.Count == 0;
        var (ordered, unknown) = await PickAsync(db, requested, ct);
        var ids = ordered.Select(c => c.Id).ToList();

        var rounds = await db.FundingRounds.AsNoTracking()
            .Where(r => ids.Contains(r.CompanyId))
            .Select(r => new
            {
                r.Id, r.CompanyId, r.AnnouncedOn, r.AnnouncedPrecision, r.LabelAsAnnounced, r.Stage, r.Status,
                r.IsUnverified, r.PostMoneyIsEstimate,
                Amount = new RoundAmount(r.Disclosure, r.Currency, r.Amount, r.AmountMin, r.AnnouncedOn, r.AnnouncedPrecision),
                Investors = r.Participations.Select(p => new { p.IsLead, p.Investor.Slug, p.Investor.NameEn, p.Investor.NameZh }).ToList(),
            })
            .ToListAsync(ct);
        var valuations = await db.ValuationPoints.AsNoTracking()
            .Where(v => ids.Contains(v.CompanyId) && !v.IsUnverified)
            .OrderBy(v => v.ValuedOn).ThenBy(v => v.Id)
            .Select(v => new { v.Id, v.CompanyId, v.Amount, v.Currency, v.Qualifier, v.Basis, v.ValuedOn, v.Precision, v.FundingRoundId })
            .ToListAsync(ct);
        var citations = await SourceQueries.CitationsOfAsync(db, new Dictionary<RecordType, IReadOnlyCollection<int>>
        {
            [RecordType.ValuationPoint] = valuations.Select(v => v.Id).ToList(),
            [RecordType.Company] = ids,
        }, ct);
        var converter = await CurrencyConverter.LoadAsync(db, ct, rates);

        var rows = new List<CompareRow>();
        foreach (var c in ordered)
        {
            var own = rounds.Where(r => r.CompanyId == c.Id).ToList();
            var counted = own.Where(r => r.Status == RoundStatus.Completed && !r.IsUnverified && r.Stage != RoundStage.Ipo).ToList();
            var total = FundingTotal.Sum(counted.Select(r => r.Amount), converter);
            var history = valuations.Where(v => v.CompanyId == c.Id).ToList();
            var latest = history.LastOrDefault();
            var latestFigure = latest is null ? null : new ValuationFigure(latest.Amount, latest.Currency, latest.Qualifier,
                latest.Basis, latest.ValuedOn, latest.Precision, converter.ToUsd(latest.Amount, latest.Currency, latest.ValuedOn, latest.Precision));
            var lastRound = own.Where(r => r.AnnouncedOn is not null).MaxBy(r => r.AnnouncedOn);
            rows.Add(new CompareRow(
                c.Slug, c.NameEn, c.NameZh, latestFigure,
                latest is not null && citations.IsOpenDispute(RecordType.ValuationPoint, latest.Id, "Amount"),
                latest is not null && (latest.Basis == ValuationBasis.Estimate
                                       || own.Any(r => r.Id == latest.FundingRoundId && r.PostMoneyIsEstimate)),
                total,
                latestFigure?.Usd is { } usd && total.HasAnyAmount && total.Usd > 0
                    ? new ValuationMultiple(Math.Round(usd.Usd / total.Usd, 1), total.IsLowerBound)
                    : null,
                own.Count,
                lastRound?.AnnouncedOn, lastRound?.AnnouncedPrecision ?? DatePrecision.Day,
                lastRound is null ? null : lastRound.LabelAsAnnounced ?? Components.Shared.Format.Stage(lastRound.Stage),
                own.SelectMany(r => r.Investors).Where(i => i.IsLead).DistinctBy(i => i.Slug)
                    .Select(i => new InvestorLink(i.Slug, i.NameEn, i.NameZh)).ToList(),
                history.Select(v => (v, usd: converter.ToUsd(v.Amount, v.Currency, v.ValuedOn, v.Precision)))
                    .Where(x => x.usd is not null).Select(x => new ChartPointView(x.v.ValuedOn, x.usd!.Usd, x.v.Precision)).ToList())
            {
                CompanyId = c.Id,
                ReportedTotals = ReportedTotalsOf(citations, c.Id),
            });
        }

        var investorsByCompany = ordered.ToDictionary(c => c.Id, c => rounds.Where(r => r.CompanyId == c.Id)
            .SelectMany(r => r.Investors).DistinctBy(i => i.Slug).Select(i => new InvestorLink(i.Slug, i.NameEn, i.NameZh)).ToList());
        var shared = SharedInvestorsOf(ordered.Select(c => (c.Id, c.Slug, c.NameEn)).ToList(), investorsByCompany);
        return new CompareResult(rows, shared, unknown, rates, useDefault);
    }

    private sealed record Picked(int Id, string Slug, string NameEn, string? NameZh);

    /// <summary>
    /// The companies asked for, in the order asked (none: the group, by name), and the slugs that name none. In
    /// knowledge time a company renamed since is found by today's slug too (<see cref="AppDbContext.SlugsThenAsync{T}"/>):
    /// two commands, three when a slug missed.
    /// </summary>
    private static async Task<(List<Picked> Ordered, List<string> Unknown)> PickAsync(AppDbContext db, List<string> requested,
        CancellationToken ct)
    {
        var useDefault = requested.Count == 0;
        var found = await db.Companies.AsNoTracking()
            .Where(c => useDefault ? c.Groups.Contains(DefaultGroup) : requested.Contains(c.Slug))
            .Select(c => new Picked(c.Id, c.Slug, c.NameEn, c.NameZh))
            .ToListAsync(ct);
        if (useDefault)
        {
            return (found.OrderBy(c => c.NameEn).Take(MaxCompanies).ToList(), []);
        }
        var then = await db.SlugsThenAsync<Company>(requested.Where(s => found.All(c => c.Slug != s)).ToList(), ct);
        if (then.Count > 0)
        {
            var slugs = then.Values.ToList();
            found.AddRange(await db.Companies.AsNoTracking().Where(c => slugs.Contains(c.Slug))
                .Select(c => new Picked(c.Id, c.Slug, c.NameEn, c.NameZh)).ToListAsync(ct));
        }
        // A company named by both today's slug and the day's is compared once.
        var ordered = requested.Select(s => found.FirstOrDefault(c => c.Slug == then.GetValueOrDefault(s, s))).OfType<Picked>()
            .DistinctBy(c => c.Id).ToList();
        return (ordered, requested.Where(s => found.All(c => c.Slug != then.GetValueOrDefault(s, s))).ToList());
    }

    /// <summary>The totals raised that sources report for the company, beside the one added up from its rounds.</summary>
    private static List<ReportedTotal> ReportedTotalsOf(CitationIndex citations, int companyId) =>
        citations.ForField(RecordType.Company, companyId, "TotalRaised").Where(x => x.ReportedValue is not null)
            .Select(x => new ReportedTotal(x.ReportedValue!.Trim(), x.PublisherLabel, x.IsUnverified,
                x.IsUnverified ? Sources.Unverified.Reason(x) : null)).ToList();

    /// <summary>For each pair of compared companies (in the order shown), the investors both have, by name.</summary>
    private static List<SharedInvestors> SharedInvestorsOf(List<(int Id, string Slug, string NameEn)> ordered,
        Dictionary<int, List<InvestorLink>> investorsByCompany)
    {
        var shared = new List<SharedInvestors>();
        for (var i = 0; i < ordered.Count; i++)
        {
            for (var j = i + 1; j < ordered.Count; j++)
            {
                var a = ordered[i];
                var b = ordered[j];
                var both = investorsByCompany[a.Id].Where(x => investorsByCompany[b.Id].Any(y => y.Slug == x.Slug))
                    .OrderBy(x => x.NameEn).ToList();
                if (both.Count > 0)
                {
                    shared.Add(new SharedInvestors(a.Slug, a.NameEn, b.Slug, b.NameEn, both));
                }
            }
        }
        return shared;
    }

    /// <summary>
    /// Every valuation of the compared companies (the same choice as <see cref="CompareAsync"/>, the default group when
    /// none is named), one row per company and date, oldest first, with its native amount, US dollars at the chosen rate
    /// and its first source. Rows stream from the database (<see cref="AppExecutionStrategy.StreamRows"/>).
    /// </summary>
    public async IAsyncEnumerable<ValuationHistoryRow> ValuationHistoryAsync(IReadOnlyList<string> slugs, RateMode rates,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        using var streaming = AppExecutionStrategy.StreamRows();
        await using var db = await factory.CreateDbContextAsync(ct);
        var requested = slugs.Select(s => s.Trim().ToLowerInvariant()).Where(s => s.Length > 0).Distinct().Take(MaxCompanies).ToList();
        // In the comparison's order (the companies as named, the group by name), each company's by date: one streamed
        // query per company, at most eight.
        var (ordered, _) = await PickAsync(db, requested, ct);
        var converter = await CurrencyConverter.LoadAsync(db, ct, rates);
        foreach (var company in ordered)
        {
            var rows = db.ValuationPoints.AsNoTracking()
                .Where(v => v.CompanyId == company.Id)
                .OrderBy(v => v.ValuedOn).ThenBy(v => v.Id)
                .Select(v => new
                {
                    v.Id, v.Company.Slug, v.Company.NameEn, v.Company.NameZh, v.ValuedOn, v.Precision, v.Amount, v.Currency,
                    v.Qualifier, v.Basis, v.FundingRoundId, v.IsUnverified,
                    Source = db.Citations.Where(c => c.RecordType == RecordType.ValuationPoint && c.RecordId == v.Id)
                        .OrderBy(c => c.Source.Url == null).ThenBy(c => c.SourceId)
                        .Select(c => new { c.Source.Url, c.Source.Title, c.Source.Publisher })
                        .FirstOrDefault(),
                })
                .AsAsyncEnumerable();
            await foreach (var v in rows.WithCancellation(ct))
            {
                var usd = converter.ToUsd(v.Amount, v.Currency, v.ValuedOn, v.Precision);
                yield return new ValuationHistoryRow(v.Slug, v.NameEn, v.NameZh, v.ValuedOn, v.Precision, v.Amount, v.Currency.Trim(),
                    v.Qualifier, v.Basis, usd is null ? null : Math.Round(usd.Usd), usd?.Basis, v.FundingRoundId, v.IsUnverified,
                    v.Source?.Url, v.Source?.Publisher, v.Source?.Title);
            }
        }
    }

    /// <summary>The comparison as of a day.</summary>
    public CompareService AsOf(AsOfContexts contexts, AsOfView view) => new(contexts.For(view));

    /// <summary>Company names for the picker: a search over all names, at most 10.</summary>
    public async Task<IReadOnlyList<CompanyOption>> FindCompaniesAsync(string? text, CancellationToken ct = default)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var terms = Search.TextSearch.Parse(text);
        return await Search.TextSearch.Matching(db.Companies.AsNoTracking(), terms)
            .OrderBy(c => c.NameEn).Take(10)
            .Select(c => new CompanyOption(c.Slug, c.NameEn, c.NameZh))
            .ToListAsync(ct);
    }
}

using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Web.Features.Compare;

public sealed record InvestorLink(string Slug, string NameEn, string? NameZh);

public sealed record CompanyOption(string Slug, string NameEn, string? NameZh)
{
    public override string ToString() => NameZh is null ? NameEn : $"{NameEn} {NameZh}";
}

public sealed record CompareRow(
    string Slug,
    string NameEn,
    string? NameZh,
    ValuationFigure? LatestValuation,
    bool LatestValuationDisputed,
    bool LatestValuationEstimated,
    FundingTotal TotalRaised,
    ValuationMultiple? Multiple,
    int RoundCount,
    DateOnly? LastRoundOn,
    DatePrecision LastRoundPrecision,
    string? LastRoundLabel,
    IReadOnlyList<InvestorLink> LeadInvestors,
    IReadOnlyList<ChartPointView> ValuationHistory)
{
    /// <summary>The company's id: its chart colour (<see cref="Components.Shared.CompanyColors"/>) comes from it.</summary>
    public int CompanyId { get; init; }

    /// <summary>Totals sources state for the company (not counted: the total above sums the rounds), unverified ones marked.</summary>
    public IReadOnlyList<ReportedTotal> ReportedTotals { get; init; } = [];
}

/// <summary>A total raised as one source states it; an unverified one never becomes the headline figure.</summary>
public sealed record ReportedTotal(string Value, string Publisher, bool IsUnverified, string? UnverifiedReason)
{
    public string Label => Sources.Unverified.Label(Value, IsUnverified);
}

/// <summary>
/// Latest valuation ÷ total raised. When the total is a floor (ranges, undisclosed rounds) the true multiple is lower,
/// so the figure is an upper bound.
/// </summary>
public sealed record ValuationMultiple(decimal Value, bool IsUpperBound);

public sealed record SharedInvestors(string SlugA, string NameA, string SlugB, string NameB, IReadOnlyList<InvestorLink> Investors);

public sealed record CompareResult(
    IReadOnlyList<CompareRow> Companies,
    IReadOnlyList<SharedInvestors> Shared,
    IReadOnlyList<string> UnknownSlugs,
    RateMode Rates,
    bool UsedDefault);

/// <summary>One valuation of a compared company, as the valuation-history CSV writes it.</summary>
public sealed record ValuationHistoryRow(
    string Slug, string NameEn, string? NameZh, DateOnly ValuedOn, DatePrecision Precision, decimal Amount, string Currency,
    FigureQualifier Qualifier, ValuationBasis Basis, decimal? Usd, string? UsdBasis, int? RoundId, bool IsUnverified,
    string? SourceUrl, string? SourcePublisher, string? SourceTitle);

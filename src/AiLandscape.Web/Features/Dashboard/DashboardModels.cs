using AiLandscape.Web.Data;

namespace AiLandscape.Web.Features.Dashboard;

/// <summary>Money raised in one year by one company at one stage, in USD (ranges at their minimum).</summary>
public sealed record FundingSlice(int Year, string CompanySlug, string CompanyName, RoundStage Stage, decimal Usd,
    int Rounds, int Undisclosed, int Ranges)
{
    /// <summary>Null for the "other companies" slice; a company's chart colour comes from it.</summary>
    public int? CompanyId { get; init; }
}

/// <summary>A company's latest valuation as stored (<see cref="CompanyFigures"/>): in USD, with the reported figure's qualifier.</summary>
public sealed record TopValuation(string Slug, string NameEn, string? NameZh, decimal Usd, FigureQualifier Qualifier, DateOnly On,
    DatePrecision Precision);

public sealed record LatestRound(string CompanySlug, string CompanyName, string? CompanyNameZh, DateOnly? AnnouncedOn,
    DatePrecision Precision, string? Label, RoundStage Stage, string Size);

public sealed record ActiveInvestor(string Slug, string NameEn, string? NameZh, int Rounds, int Leads, int Companies);

public sealed record ModelYear(int Year, int OpenWeights, int Closed, int Unknown);

public sealed record Dashboard(
    IReadOnlyList<FundingSlice> Funding,
    int UndatedRounds,
    IReadOnlyList<TopValuation> TopValuations,
    IReadOnlyList<string> WithoutValuation,
    IReadOnlyList<LatestRound> LatestRounds,
    IReadOnlyList<ActiveInvestor> ActiveInvestors,
    IReadOnlyList<ModelYear> ModelsByYear);

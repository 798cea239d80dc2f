using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Web.Features.Companies;

public sealed record ValuationFigure(
    decimal Amount,
    string Currency,
    FigureQualifier Qualifier,
    ValuationBasis Basis,
    DateOnly ValuedOn,
    DatePrecision Precision,
    UsdConversion? Usd);

public sealed record CompanyListItem(
    int Id,
    string Slug,
    string NameEn,
    string? NameZh,
    string? HeadquartersCity,
    CompanyStatus Status,
    string? ListingVenue,
    string? Ticker,
    IReadOnlyList<string> Groups,
    ValuationFigure? LatestValuation,
    FundingTotal TotalRaised);

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalCount);

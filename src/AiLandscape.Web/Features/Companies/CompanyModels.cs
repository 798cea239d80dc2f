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

public sealed record PagedResult<T>(IReadOnlyList<T> Items, int TotalCount)
{
    /// <summary>When a search found nothing: the nearest names ("did you mean"), nearest first; else empty.</summary>
    public IReadOnlyList<string> Suggestions { get; init; } = [];
}

/// <summary>What the /companies directory asks for; every field maps to a URL query parameter.</summary>
public sealed record CompanyQuery
{
    public string? Search { get; init; }
    public string? Sector { get; init; }
    public string? City { get; init; }
    public CompanyStatus? Status { get; init; }
    public string? Group { get; init; }
    public int? FoundedFrom { get; init; }
    public int? FoundedTo { get; init; }
    /// <summary>Total raised bounds in millions of USD.</summary>
    public decimal? RaisedMinMillions { get; init; }
    public decimal? RaisedMaxMillions { get; init; }
    public CompanySort Sort { get; init; } = CompanySort.Relevance;
    public bool Descending { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; } = 25;
}

public enum CompanySort { Relevance, Name, Founded, City, TotalRaised, LatestValuation, LastRound }

public sealed record CompanyRow(
    string Slug,
    string NameEn,
    string? NameZh,
    string? HeadquartersCity,
    DateOnly? FoundedOn,
    DatePrecision FoundedPrecision,
    CompanyStatus Status,
    string? ListingVenue,
    string? Ticker,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Groups,
    CompanyFigures Figures);

/// <summary>The values the directory's facet pickers offer.</summary>
public sealed record CompanyFacets(
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Cities,
    IReadOnlyList<string> Groups);

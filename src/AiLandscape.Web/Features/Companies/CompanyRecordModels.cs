using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;

namespace AiLandscape.Web.Features.Companies;

/// <summary>Which companies' records to list (empty: all), and the page (zero-based).</summary>
public sealed record CompanyRecordQuery
{
    public IReadOnlyList<string> Companies { get; init; } = [];
    public IReadOnlyList<CompanyEventKind> EventKinds { get; init; } = [];
    /// <summary>Models only: true for open weights, false for closed; null for any.</summary>
    public bool? OpenWeights { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; } = 25;
}

public sealed record CompanyRef(string Slug, string NameEn, string? NameZh);

public sealed record ValuationListItem(CompanyRef Company, int Id, DateOnly ValuedOn, DatePrecision Precision, decimal Amount,
    string Currency, FigureQualifier Qualifier, ValuationBasis Basis, int? FundingRoundId, bool IsUnverified,
    UsdConversion? Usd);

public sealed record EventListItem(CompanyRef Company, EventView Event);

public sealed record ModelListItem(CompanyRef Company, ModelView Model);

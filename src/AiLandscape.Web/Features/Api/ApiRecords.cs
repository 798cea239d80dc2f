using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Sources;

namespace AiLandscape.Web.Features.Api;

// The records the API answers with, shared by several areas. They are the contract: the services' view records may
// change with the pages, these change only with a new API version.

public sealed record ApiCompanyRef(string Slug, string NameEn, string? NameZh)
{
    public static ApiCompanyRef Of(CompanyRef c) => new(c.Slug, c.NameEn, c.NameZh);
}

/// <summary>Money raised across the counted rounds in USD; null when none has an amount (never 0 for "unknown").</summary>
public sealed record ApiFundingTotal(decimal? Usd, bool IsLowerBound, int RoundCount, int UndisclosedCount, bool UsesApproximateRates)
{
    public static ApiFundingTotal Of(FundingTotal t) =>
        new(t.HasAnyAmount ? Decimals.Plain(t.Usd) : null, t.IsLowerBound, t.RoundCount, t.UndisclosedCount, t.UsesApproximateRates);
}

public sealed record ApiPostMoney(ApiMoney Value, FigureQualifier Qualifier, bool IsEstimate);

public sealed record ApiValuation(int Id, ApiCompanyRef? Company, ApiDate Valued, ApiMoney Value, FigureQualifier Qualifier,
    ValuationBasis Basis, int? FundingRoundId, bool IsUnverified)
{
    public static ApiValuation Of(ValuationView v) => new(v.Id, null, new ApiDate(v.ValuedOn, v.Precision),
        ApiMoney.Of(v.Amount, v.Currency, v.Usd)!, v.Qualifier, v.Basis, v.FundingRoundId, v.IsUnverified);

    public static ApiValuation Of(ValuationListItem v) => new(v.Id, ApiCompanyRef.Of(v.Company),
        new ApiDate(v.ValuedOn, v.Precision), ApiMoney.Of(v.Amount, v.Currency, v.Usd)!, v.Qualifier, v.Basis,
        v.FundingRoundId, v.IsUnverified);
}

public sealed record ApiEvent(int Id, ApiCompanyRef? Company, ApiDate Occurred, CompanyEventKind Kind, string Title,
    string? Summary, string? FocusBefore, string? FocusAfter)
{
    public static ApiEvent Of(EventView e, CompanyRef? company = null) => new(e.Id,
        company is null ? null : ApiCompanyRef.Of(company), new ApiDate(e.OccurredOn, e.Precision), e.Kind, e.Title,
        e.Summary, e.FocusBefore, e.FocusAfter);
}

public sealed record ApiModel(int Id, ApiCompanyRef? Company, string Name, ApiDate? Released, bool? OpenWeights,
    string? Licence, string? Size, string? Modality, string? Summary)
{
    public static ApiModel Of(ModelView m, CompanyRef? company = null) => new(m.Id,
        company is null ? null : ApiCompanyRef.Of(company), m.Name, ApiDate.Of(m.ReleasedOn, m.Precision), m.OpenWeights,
        m.Licence, m.Size, m.Modality, m.Summary);
}

/// <summary>
/// A source backing a record: which record (<c>recordType</c> + <c>recordId</c>, the <c>id</c> of a round,
/// valuation, event... in the same answer), and, when it speaks to one field, the value that source reported.
/// <c>claim</c> is what the source says, in a sentence. <c>isUnverified</c>: the source reports the value without
/// establishing it (it cites another source that is not stored); <c>unverifiedReason</c> then says why, and the
/// value never becomes a headline figure.
/// </summary>
public sealed record ApiCitation(int SourceId, string Title, string? Url, string? Publisher, string? OriginalPublisher,
    ApiDate? Published, SourceKind Kind, RecordType? RecordType, int? RecordId, string? Field, string? ReportedValue,
    bool IsUnverified, string? Claim, string? UnverifiedReason)
{
    public static ApiCitation Of(CitationView c) => new(c.SourceId, c.Title, c.Url, c.Publisher, c.OriginalPublisher,
        ApiDate.Of(c.PublishedOn, c.PublishedPrecision), c.Kind, c.RecordType, c.RecordId, c.Field, c.ReportedValue,
        c.IsUnverified, c.Claim, c.IsUnverified ? Unverified.Reason(c) : null);
}

/// <summary>
/// A statement a source makes about the company without a figure a record could hold ("no IPO plan", revenue, cash):
/// the profile's "What sources say".
/// </summary>
public sealed record ApiStatement(string Claim, int SourceId, string Title, string? Url, string? Publisher,
    string? OriginalPublisher, ApiDate? Published, SourceKind Kind, bool IsUnverified)
{
    public static ApiStatement Of(CitationView c) => new(c.Claim!, c.SourceId, c.Title, c.Url, c.Publisher,
        c.OriginalPublisher, ApiDate.Of(c.PublishedOn, c.PublishedPrecision), c.Kind, c.IsUnverified);
}

public static class ApiSizes
{
    /// <summary>A round's size; amounts are dropped for undisclosed rounds whatever is stored.</summary>
    public static ApiRoundSize Of(Disclosure disclosure, string currency, decimal? amount, bool approximate, decimal? min,
        decimal? max, string? text, UsdConversion? amountUsd, UsdConversion? minUsd, UsdConversion? maxUsd)
    {
        currency = currency.Trim();
        return disclosure == Disclosure.Undisclosed
            ? new ApiRoundSize(disclosure, null, false, null, null, text)
            : new ApiRoundSize(disclosure, ApiMoney.Of(amount, currency, amountUsd), approximate,
                ApiMoney.Of(min, currency, minUsd), ApiMoney.Of(max, currency, maxUsd), text);
    }
}

using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;

namespace AiLandscape.Web.Features.Api;

// The records the API answers with, shared by several areas. They are the contract: the services' view records may
// change with the pages, these change only with a new API version. A record built from one area's view records
// lives with that area's API (ApiValuation, ApiEvent, ApiModel and ApiStatement in Companies, ApiCitation in Sources,
// ApiFundingTotal in Rounds), so that this folder names no area (ADR 0030).

public sealed record ApiCompanyRef(string Slug, string NameEn, string? NameZh);

public sealed record ApiPostMoney(ApiMoney Value, FigureQualifier Qualifier, bool IsEstimate);

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

using AiLandscape.Web.Components.Shared;
using System.Globalization;
using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.Editing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiLandscape.Web.Features.ExchangeRates;

/// <summary><c>/api/v1/exchange-rates</c>: the monthly rates every USD equivalent is derived with, and the
/// rate form's write endpoints (<see cref="ExchangeRateEditService"/>, through <see cref="WriteApi"/>).</summary>
public static class ExchangeRatesApi
{
    public static readonly ApiTag Tag = new("Exchange rates", "Monthly rates used for the USD equivalents.");

    public static RouteGroupBuilder MapExchangeRatesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/exchange-rates", ListExchangeRates).WithTags(Tag.Name).WithName("ListExchangeRates")
            .WithQuery(new QueryParam("currency", "Only rates of this ISO 4217 currency.") { Pattern = "[A-Za-z]{3}" },
                QueryParam.Page, QueryParam.PageSize)
            .WithSummary("List exchange rates")
            .WithDescription("Monthly average units of a currency per US dollar, by currency and newest month first.");
        api.MapWritesById<ExchangeRateRequest, ExchangeRateEditService>(new("exchange-rates", "ExchangeRate", "exchange rate"),
            (service, id, ct) => service.EditAsync(id, ct));
        return api;
    }

    // ExchangeRateEditService.ListAsync is the read query of the /exchange-rates page; it needs no role.
    public static async Task<Ok<ApiPage<ApiExchangeRate>>> ListExchangeRates(HttpRequest request,
        ExchangeRateEditService service, CancellationToken ct)
    {
        var q = new ApiQuery(request.Query);
        var result = await service.ListAsync(new ExchangeRateQuery(q.String("currency")?.ToUpperInvariant(), q.Page - 1, q.PageSize), ct);
        return TypedResults.Ok(ApiPaging.Page(request, result.Items.Select(r => new ApiExchangeRate(r.Currency,
                r.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture), Decimals.Plain(r.UnitsPerUsd), r.SourceId, r.SourceLabel)).ToList(),
            result.TotalCount, q.Page, q.PageSize));
    }
}

/// <summary>The average of <c>month</c> (yyyy-MM): <c>unitsPerUsd</c> units of the currency buy one US dollar.</summary>
public sealed record ApiExchangeRate(string Currency, string Month, decimal UnitsPerUsd, int? SourceId, string? Source);

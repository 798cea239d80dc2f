using AiLandscape.Web.Components.Shared;
using System.Globalization;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace AiLandscape.Web.Features.Api;

/// <summary>A date with how much of it the source gave: <c>{"date":"2024-03-01","precision":"Month"}</c> is March 2024.</summary>
public sealed record ApiDate(DateOnly Date, DatePrecision Precision)
{
    public static ApiDate? Of(DateOnly? date, DatePrecision precision) => date is { } d ? new ApiDate(d, precision) : null;
}

/// <summary>
/// A US-dollar equivalent and the rate behind it: <c>unitsPerUsd</c> of the reported currency, the month of that
/// rate (<c>yyyy-MM</c>; null for the HKD peg), and whether it is only the nearest month available.
/// </summary>
public sealed record ApiUsd(decimal Amount, decimal UnitsPerUsd, string? RateMonth, bool Approximate, string Basis)
{
    /// <summary>Null for no conversion, and for figures reported in USD (nothing was converted).</summary>
    public static ApiUsd? Of(UsdConversion? c) => c is null || c.UnitsPerUsd == 1m && c.RateMonth is null && !c.IsApproximate
        ? null
        : new ApiUsd(Decimals.Plain(c.Usd), Decimals.Plain(c.UnitsPerUsd), c.RateMonth?.ToString("yyyy-MM", CultureInfo.InvariantCulture), c.IsApproximate, c.Basis);
}

/// <summary>An amount in the currency reported (ISO 4217), with its USD equivalent when it had to be converted.</summary>
public sealed record ApiMoney(decimal Amount, string Currency, ApiUsd? Usd)
{
    public static ApiMoney? Of(decimal? amount, string? currency, UsdConversion? usd) =>
        amount is { } a && currency is not null ? new ApiMoney(Decimals.Plain(a), currency.Trim(), ApiUsd.Of(usd)) : null;
}

/// <summary>
/// A round's size as reported. <c>amount</c> is null unless disclosed or estimated (an undisclosed round is never 0);
/// a range has <c>min</c> and/or <c>max</c>; <c>text</c> is the source's words when it gave no number.
/// </summary>
public sealed record ApiRoundSize(Disclosure Disclosure, ApiMoney? Amount, bool Approximate, ApiMoney? Min, ApiMoney? Max,
    string? Text);

/// <summary>A page of a list. <c>next</c> is the path and query of the next page, null on the last one.</summary>
/// <param name="Total">How many items match; for lists that count up to a cap (the sources), the cap.</param>
/// <param name="TotalIsLowerBound">More items match than <paramref name="Total"/> says (a capped count): follow
/// <paramref name="Next"/> to read them.</param>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize, string? Next,
    bool TotalIsLowerBound = false);

public static class ApiPaging
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;

    /// <summary>A page (1-based <paramref name="page"/>) with the link to the next one, keeping every other parameter.</summary>
    public static ApiPage<T> Page<T>(HttpRequest request, IReadOnlyList<T> items, int total, int page, int pageSize,
        bool totalIsLowerBound = false)
    {
        string? next = null;
        if ((long)page * pageSize < total || totalIsLowerBound && items.Count == pageSize)
        {
            var query = request.Query
                .Where(q => !string.Equals(q.Key, QueryParam.Page.Name, StringComparison.OrdinalIgnoreCase))
                .SelectMany(q => q.Value.Select(v => KeyValuePair.Create(q.Key, v)))
                .Append(KeyValuePair.Create(QueryParam.Page.Name, (string?)(page + 1).ToString(CultureInfo.InvariantCulture)));
            next = QueryHelpers.AddQueryString(request.PathBase + request.Path, query);
        }
        return new ApiPage<T>(items, total, page, pageSize, next, totalIsLowerBound);
    }
}

/// <summary>The API's error answers, all RFC 9457 problem details.</summary>
public static class ApiProblems
{
    /// <summary>400 naming the parameter, in the detail and as the <c>parameter</c> extension member.</summary>
    public static ProblemHttpResult BadParameter(string parameter, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status400BadRequest, title: "Invalid query parameter",
            extensions: new Dictionary<string, object?> { ["parameter"] = parameter });

    public static ProblemHttpResult NotFound(string what, string slug) =>
        TypedResults.Problem(detail: $"No {what} has the slug '{slug}'.", statusCode: StatusCodes.Status404NotFound,
            title: "Not found");
}

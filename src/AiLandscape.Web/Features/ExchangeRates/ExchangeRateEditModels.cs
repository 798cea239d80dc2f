using System.Globalization;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.ExchangeRates;

/// <summary>One monthly average rate: what the editor types, with its rules.</summary>
public sealed class ExchangeRateRequest : EditRequest
{
    /// <summary>Null for a new rate.</summary>
    public override int? Id { get; set; }
    public string Currency { get; set; } = "CNY";
    /// <summary>YYYY-MM: the month the average covers.</summary>
    public string? Month { get; set; }
    /// <summary>How many units of the currency one US dollar buys.</summary>
    public decimal? UnitsPerUsd { get; set; }
    public int? SourceId { get; set; }
    /// <summary>Shown on the form; not written.</summary>
    public string? SourceLabel { get; set; }

    /// <summary>The currencies that take a rate: every supported one but the US dollar itself.</summary>
    public static IReadOnlyList<string> RatedCurrencies => Validator.Currencies.Where(c => c != "USD").ToList();

    public override void Validate(Validator v)
    {
        if (!RatedCurrencies.Contains(Currency))
        {
            v.Error(nameof(Currency), $"Currency must be one of {string.Join(", ", RatedCurrencies)}: rates are units per US dollar, so USD needs none.");
        }
        if (string.IsNullOrWhiteSpace(Month))
        {
            v.Error(nameof(Month), "Month is required.");
        }
        else if (ParseMonth(Month) is not { } month)
        {
            v.Error(nameof(Month), "Month must be written YYYY-MM (e.g. 2024-03).");
        }
        else if (month > new DateOnly(v.TodayDate.Year, v.TodayDate.Month, 1))
        {
            v.Error(nameof(Month), "Month must not be in the future.");
        }
        else if (month < Validator.EarliestDate)
        {
            v.Error(nameof(Month), "Month must not be before 1990.");
        }
        v.Required(nameof(UnitsPerUsd), "Units per US$", UnitsPerUsd)
            .Positive(nameof(UnitsPerUsd), "Units per US$", UnitsPerUsd)
            .Required(nameof(SourceId), "Source", SourceId);
    }

    /// <summary>The first day of a month written YYYY-MM, or null.</summary>
    public static DateOnly? ParseMonth(string? text) =>
        DateOnly.TryParseExact((text?.Trim() ?? "") + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
        && text!.Trim().Length == 7 ? d : null;
}

public sealed record ExchangeRateQuery(string? Currency = null, int Page = 0, int PageSize = 50);

public sealed record ExchangeRateListRow(int Id, string Currency, DateOnly Month, decimal UnitsPerUsd, int? SourceId, string? SourceLabel);

public sealed record ExchangeRateListResult(IReadOnlyList<ExchangeRateListRow> Items, int TotalCount);

using System.Globalization;
using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.ExchangeRates;

public sealed record ExchangeRateRow(string Currency, DateOnly Month, decimal UnitsPerUsd, string? SourceName);

/// <summary>A USD equivalent and how it was obtained, so the UI can say which rate was used.</summary>
public sealed record UsdConversion(decimal Usd, decimal UnitsPerUsd, DateOnly? RateMonth, bool IsApproximate, string Basis);

/// <summary>Which rate converts a figure: the one of the figure's own month, or the latest stored one.</summary>
public enum RateMode { FigureDate, Latest }

/// <summary>
/// Converts reported amounts to USD with the rate of the figure's month: the nearest earlier stored month when that
/// month is missing (flagged approximate), the earliest stored month for figures before the series starts (flagged),
/// and the HKD peg when no HKD rate is stored (flagged).
/// </summary>
public sealed class CurrencyConverter
{
    /// <summary>Midpoint of the Hong Kong dollar's 7.75–7.85 band against the US dollar.</summary>
    public const decimal HkdPegMidpoint = 7.80m;

    private readonly Dictionary<string, ExchangeRateRow[]> _byCurrency;

    public RateMode Mode { get; }

    public CurrencyConverter(IEnumerable<ExchangeRateRow> rates, RateMode mode = RateMode.FigureDate)
        : this(rates.GroupBy(r => r.Currency.Trim().ToUpperInvariant())
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Month).ToArray()), mode)
    {
    }

    private CurrencyConverter(Dictionary<string, ExchangeRateRow[]> byCurrency, RateMode mode)
    {
        _byCurrency = byCurrency;
        Mode = mode;
    }

    /// <summary>The same rates, applied in another mode.</summary>
    public CurrencyConverter In(RateMode mode) => mode == Mode ? this : new CurrencyConverter(_byCurrency, mode);

    public static async Task<CurrencyConverter> LoadAsync(AppDbContext db, CancellationToken ct = default,
        RateMode mode = RateMode.FigureDate) =>
        new(await db.ExchangeRates.AsNoTracking()
            .Select(r => new ExchangeRateRow(r.Currency, r.Month, r.UnitsPerUsd,
                r.Source == null ? null : r.Source.OriginalPublisher ?? r.Source.Publisher))
            .ToListAsync(ct), mode);

    /// <summary>
    /// Null when no rate exists for the currency at all. A figure dated only to a year or a quarter converts at the
    /// average of the stored monthly rates of that period (ADR 0013), not at the rate of its first day's month.
    /// </summary>
    public UsdConversion? ToUsd(decimal amount, string currency, DateOnly? on, DatePrecision precision = DatePrecision.Day)
    {
        var code = currency.Trim().ToUpperInvariant();
        if (code == "USD")
        {
            return new UsdConversion(amount, 1m, null, false, "reported in USD");
        }
        if (_byCurrency.TryGetValue(code, out var series) && series.Length > 0 && Mode == RateMode.Latest)
        {
            var latest = series[^1];
            return new UsdConversion(Math.Round(amount / latest.UnitsPerUsd, 0), latest.UnitsPerUsd, latest.Month, false,
                $"{latest.UnitsPerUsd} {code}/USD, latest stored rate ({latest.Month:MMM yyyy} average" +
                (latest.SourceName is null ? ")" : $", {latest.SourceName})"));
        }
        if (_byCurrency.TryGetValue(code, out series) && series.Length > 0)
        {
            if (on is { } period && PeriodAverage(series, code, period, precision) is { } average)
            {
                return new UsdConversion(Math.Round(amount / average.UnitsPerUsd, 0), average.UnitsPerUsd, null, true, average.Basis);
            }
            var month = on is { } d ? new DateOnly(d.Year, d.Month, 1) : series[^1].Month;
            var rate = series.LastOrDefault(r => r.Month <= month) ?? series[0];
            var approximate = on is null || rate.Month != month;
            var source = rate.SourceName is null ? "" : $" ({rate.SourceName})";
            var basis = on is not null && month > series[^1].Month
                // Past the end of the series: say which month's rate stands in, and that it is the last one stored.
                ? $"{rate.UnitsPerUsd} {code}/USD, {Month(rate.Month)} average{source}: the latest stored rate, used for {Month(month)}"
                : $"{rate.UnitsPerUsd} {code}/USD, {Month(rate.Month)} average{source}" + (approximate ? ", nearest month available" : "");
            return new UsdConversion(Math.Round(amount / rate.UnitsPerUsd, 0), rate.UnitsPerUsd, rate.Month, approximate, basis);
        }
        if (code == "HKD")
        {
            return new UsdConversion(Math.Round(amount / HkdPegMidpoint, 0), HkdPegMidpoint, null, true,
                "HKD peg band 7.75–7.85 (midpoint 7.80), no dated rate stored");
        }
        return null;
    }

    private static string Month(DateOnly month) => month.ToString("MMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>
    /// The mean of the stored monthly rates inside a year or quarter, naming the months it averages (the stored series
    /// may hold only some of them); null for other precisions or when none of the period's months is stored.
    /// </summary>
    private static (decimal UnitsPerUsd, string Basis)? PeriodAverage(ExchangeRateRow[] series, string code, DateOnly on,
        DatePrecision precision)
    {
        var (from, months, label) = precision switch
        {
            DatePrecision.Year => (new DateOnly(on.Year, 1, 1), 12, on.Year.ToString(CultureInfo.InvariantCulture)),
            DatePrecision.Quarter => (new DateOnly(on.Year, (on.Month - 1) / 3 * 3 + 1, 1), 3,
                $"Q{(on.Month - 1) / 3 + 1} {on.Year.ToString(CultureInfo.InvariantCulture)}"),
            _ => (default, 0, ""),
        };
        if (months == 0)
        {
            return null;
        }
        var to = from.AddMonths(months);
        var inPeriod = series.Where(r => r.Month >= from && r.Month < to).ToList();
        if (inPeriod.Count == 0)
        {
            return null;
        }
        var average = Math.Round(inPeriod.Average(r => r.UnitsPerUsd), 4);
        var sources = inPeriod.Select(r => r.SourceName).OfType<string>().Distinct().ToList();
        var basis = $"{average} {code}/USD, {label} average of the stored monthly rates " +
                    $"({string.Join(", ", inPeriod.Select(r => r.Month.ToString("MMM", CultureInfo.InvariantCulture)))}" +
                    (sources.Count == 0 ? ")" : $"; {string.Join(", ", sources)})");
        return (average, basis);
    }
}

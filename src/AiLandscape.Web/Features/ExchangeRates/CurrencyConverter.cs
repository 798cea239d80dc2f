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

    /// <summary>Null when no rate exists for the currency at all.</summary>
    public UsdConversion? ToUsd(decimal amount, string currency, DateOnly? on)
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
            var month = on is { } d ? new DateOnly(d.Year, d.Month, 1) : series[^1].Month;
            var rate = series.LastOrDefault(r => r.Month <= month) ?? series[0];
            var approximate = on is null || rate.Month != month;
            var basis = $"{rate.UnitsPerUsd} {code}/USD, {rate.Month:MMM yyyy} average" +
                        (rate.SourceName is null ? "" : $" ({rate.SourceName})") +
                        (approximate ? ", nearest month available" : "");
            return new UsdConversion(Math.Round(amount / rate.UnitsPerUsd, 0), rate.UnitsPerUsd, rate.Month, approximate, basis);
        }
        if (code == "HKD")
        {
            return new UsdConversion(Math.Round(amount / HkdPegMidpoint, 0), HkdPegMidpoint, null, true,
                "HKD peg band 7.75–7.85 (midpoint 7.80), no dated rate stored");
        }
        return null;
    }
}

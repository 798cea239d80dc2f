using System.Globalization;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Rounds;

namespace AiLandscape.Web.Components.Shared;

/// <summary>The one place where money, dates and totals become text.</summary>
public static class Format
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string CurrencySymbol(string currency) => currency.Trim().ToUpperInvariant() switch
    {
        "USD" => "US$",
        "CNY" => "¥",
        "HKD" => "HK$",
        "EUR" => "€",
        "GBP" => "£",
        "JPY" => "JP¥",
        "SGD" => "S$",
        var other => other + " ",
    };

    /// <summary>Compact money in its own currency: "US$1.2B", "¥40M", "HK$4.19B".</summary>
    public static string Money(decimal amount, string currency, FigureQualifier qualifier = FigureQualifier.Exact)
    {
        var prefix = qualifier switch
        {
            FigureQualifier.Approximate => "~",
            FigureQualifier.AtLeast => ">",
            FigureQualifier.AtMost => "<",
            _ => "",
        };
        return prefix + CurrencySymbol(currency) + Compact(amount);
    }

    public static string Compact(decimal amount)
    {
        // Round to the displayed precision first, so 999,999,999 reads "1B", not "1000M".
        var abs = Math.Abs(RoundForDisplay(amount));
        var (scaled, unit) = abs switch
        {
            >= 1_000_000_000_000m => (amount / 1_000_000_000_000m, "T"),
            >= 1_000_000_000m => (amount / 1_000_000_000m, "B"),
            >= 1_000_000m => (amount / 1_000_000m, "M"),
            >= 1_000m => (amount / 1_000m, "K"),
            _ => (amount, ""),
        };
        var decimals = Math.Abs(scaled) < 10 ? 2 : Math.Abs(scaled) < 100 ? 1 : 0;
        return Math.Round(scaled, decimals, MidpointRounding.AwayFromZero).ToString("0.##", Invariant) + unit;
    }

    /// <summary>Every digit, grouped: "US$1,500,000,000", "¥2,500.5".</summary>
    public static string Grouped(decimal amount, string currency) =>
        CurrencySymbol(currency) + amount.ToString("#,0.####", Invariant);

    /// <summary>
    /// An amount in words, as an editor checks what they typed: "US$1.5 billion", "US$250 thousand"; a yuan amount
    /// also in 亿/万 ("¥1.5 billion = ¥15亿"), the way Chinese sources write it.
    /// </summary>
    public static string Words(decimal amount, string currency)
    {
        var abs = Math.Abs(amount);
        var (scale, word) = abs switch
        {
            >= 1_000_000_000_000m => (1_000_000_000_000m, " trillion"),
            >= 1_000_000_000m => (1_000_000_000m, " billion"),
            >= 1_000_000m => (1_000_000m, " million"),
            >= 1_000m => (1_000m, " thousand"),
            _ => (1m, ""),
        };
        var symbol = CurrencySymbol(currency);
        var words = symbol + (amount / scale).ToString("0.####", Invariant) + word;
        if (!string.Equals(currency.Trim(), "CNY", StringComparison.OrdinalIgnoreCase) || abs < 10_000m)
        {
            return words;
        }
        var (zhScale, zhWord) = abs >= 100_000_000m ? (100_000_000m, "亿") : (10_000m, "万");
        return $"{words} = {symbol}{(amount / zhScale).ToString("0.####", Invariant)}{zhWord}";
    }

    /// <summary>
    /// A round's size as reported: "US$500M", "~US$400M", "≥ US$1B", "US$30M–31M", "≤ US$200M", "est. US$50M",
    /// or "undisclosed" — never zero.
    /// </summary>
    public static string RoundSize(Disclosure disclosure, string currency, decimal? amount, bool approximate,
        decimal? min, decimal? max) => disclosure switch
    {
        Disclosure.Disclosed when amount is { } a => Money(a, currency, approximate ? FigureQualifier.Approximate : FigureQualifier.Exact),
        Disclosure.Estimated when amount is { } a => "est. " + Money(a, currency),
        Disclosure.Range when min is not null || max is not null => Range(min, max, currency),
        _ => "undisclosed",
    };

    /// <summary>A range in one currency: "≥ US$1B", "US$100M–1B", "≤ US$200M".</summary>
    public static string Range(decimal? min, decimal? max, string currency) => (min, max) switch
    {
        ({ } lo, { } hi) => $"{Money(lo, currency)}–{Compact(hi)}",
        ({ } lo, null) => "≥ " + Money(lo, currency),
        (null, { } hi) => "≤ " + Money(hi, currency),
        _ => "undisclosed",
    };

    public static string Stage(RoundStage stage) => stage switch
    {
        RoundStage.SeriesA => "Series A",
        RoundStage.SeriesB => "Series B",
        RoundStage.SeriesC => "Series C",
        RoundStage.SeriesD => "Series D",
        RoundStage.LaterStage => "Later stage",
        RoundStage.PreIpo => "Pre-IPO",
        RoundStage.Ipo => "IPO",
        var other => other.ToString(),
    };

    public static string Basis(ValuationBasis basis) => basis switch
    {
        ValuationBasis.PostMoney => "post-money",
        ValuationBasis.PreMoney => "pre-money",
        ValuationBasis.IpoOffer => "at IPO offer price",
        ValuationBasis.MarketCap => "market cap",
        _ => "estimate",
    };

    private static decimal RoundForDisplay(decimal amount)
    {
        var abs = Math.Abs(amount);
        if (abs < 1_000m)
        {
            return amount;
        }
        var unit = (decimal)Math.Pow(10, Math.Floor(Math.Log10((double)abs)) - 2); // three significant digits
        return Math.Round(amount / unit, MidpointRounding.AwayFromZero) * unit;
    }

    /// <summary>A date at the precision the source gave: "2022", "Q1 2024", "Mar 2024", "9 Jan 2026".</summary>
    public static string Date(DateOnly? date, DatePrecision precision) => date is not { } d
        ? "date not reported"
        : precision switch
        {
            DatePrecision.Year => d.Year.ToString(Invariant),
            DatePrecision.Quarter => $"Q{(d.Month - 1) / 3 + 1} {d.Year}",
            DatePrecision.Month => d.ToString("MMM yyyy", Invariant),
            _ => d.ToString("d MMM yyyy", Invariant),
        };

    /// <summary>
    /// "≥ US$1.18B; 2 rounds undisclosed", "Undisclosed (3 rounds)", "No rounds recorded": up to its notes, the total
    /// reads as <see cref="TotalFigure"/> writes it on every other page.
    /// </summary>
    public static string Total(FundingTotal total)
    {
        if (total.RoundCount == 0)
        {
            return "No rounds recorded";
        }
        if (!total.HasAnyAmount)
        {
            return total.RoundCount == 1 ? "Undisclosed (1 round)" : $"Undisclosed ({total.RoundCount} rounds)";
        }
        var text = TotalFigure(total.Usd, total.IsLowerBound);
        var notes = new List<string>();
        if (total.UndisclosedCount > 0)
        {
            notes.Add(Plural(total.UndisclosedCount, "round") + " undisclosed");
        }
        if (total.EstimatedCount > 0)
        {
            notes.Add(Plural(total.EstimatedCount, "round") + " estimated");
        }
        if (total.UnconvertedCount > 0)
        {
            notes.Add(Plural(total.UnconvertedCount, "round") + " in a currency without a rate");
        }
        return notes.Count == 0 ? text : text + "; " + string.Join("; ", notes);
    }

    /// <summary>
    /// Money raised as every page and list writes it: "≥ US$1.18B" when it is a floor (a range added at its minimum, an
    /// undisclosed round, a currency without a rate), else "US$1.04B". A conversion at a nearby month's rate or an
    /// estimated round does not change it: the lists' stored figures cannot tell them, so the profile says them in words.
    /// </summary>
    public static string TotalFigure(decimal amount, bool isFloor, string currency = "USD") =>
        (isFloor ? "≥ " : "") + Money(amount, currency);

    /// <summary>The stored total of a company for lists: "≥ US$1.18B", "undisclosed", "no rounds recorded".</summary>
    public static string TotalRaisedShort(CompanyFigures f) => f.TotalRaisedUsd switch
    {
        { } usd => TotalFigure(usd, f.TotalRaisedIsFloor),
        null when f.RoundCount == 0 => "no rounds recorded",
        _ => "undisclosed",
    };

    public static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    public static string Status(CompanyStatus status, string? venue, string? ticker) => status switch
    {
        CompanyStatus.Public when venue is not null => $"Listed: {venue}{(ticker is null ? "" : " " + ticker)}",
        CompanyStatus.Public => "Listed",
        _ => status.ToString(),
    };
}

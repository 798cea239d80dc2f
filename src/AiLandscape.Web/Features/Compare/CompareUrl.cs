using AiLandscape.Web.Features.ExchangeRates;

namespace AiLandscape.Web.Features.Compare;

/// <summary>The comparison's URL: <c>/compare?c=slug1,slug2&amp;rates=latest</c>.</summary>
public static class CompareUrl
{
    public static IReadOnlyList<string> ParseSlugs(string? c) =>
        (c ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static RateMode ParseRates(string? rates) =>
        string.Equals(rates, "latest", StringComparison.OrdinalIgnoreCase) ? RateMode.Latest : RateMode.FigureDate;

    public static string For(IEnumerable<string> slugs, RateMode rates)
    {
        var query = "c=" + string.Join(",", slugs.Select(Uri.EscapeDataString));
        return "/compare?" + query + (rates == RateMode.Latest ? "&rates=latest" : "");
    }

    public static string CsvFor(IEnumerable<string> slugs, RateMode rates) =>
        For(slugs, rates).Replace("/compare?", "/compare.csv?", StringComparison.Ordinal);

    /// <summary>The valuation history of the same companies: /export/valuations.csv with the comparison's parameters.</summary>
    public static string ValuationsCsvFor(IEnumerable<string> slugs, RateMode rates) =>
        For(slugs, rates).Replace("/compare?", "/export/valuations.csv?", StringComparison.Ordinal);
}

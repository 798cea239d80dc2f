using System.Globalization;
using System.Text.RegularExpressions;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.Disputes;

/// <summary>
/// Best-effort reading of a reported value ("&gt;US$1B", "~HK$51B", "Mar 2023 (team assembled)") into a field's edit
/// format, to prefill the resolve form. It only suggests: the editor checks and corrects before saving, so a value
/// it cannot read leaves the field empty rather than guessing.
/// </summary>
public static partial class ReportedValueParser
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Fills the request's value fields from the accepted reported value, by the field's kind.</summary>
    public static void Prefill(ResolveDisputeRequest r)
    {
        switch (r.Kind)
        {
            case DisputeFieldKind.Date:
                r.Text = Date(r.AcceptedValue);
                break;
            case DisputeFieldKind.Text:
                r.Text = r.AcceptedValue.Trim();
                break;
            case DisputeFieldKind.Url:
                var url = r.AcceptedValue.Trim();
                r.Text = url.Contains("://", StringComparison.Ordinal) ? url : "https://" + url;
                break;
            case DisputeFieldKind.Amount when Money(r.AcceptedValue) is { } m:
                (r.Amount, r.Currency, r.Qualifier) = m;
                break;
        }
    }

    /// <summary>"US$1.2B" → 1,200,000,000 USD; "&gt;US$1B" → at least 1B; "~¥5亿" → about 500M CNY.</summary>
    public static (decimal Amount, string Currency, FigureQualifier Qualifier)? Money(string reported)
    {
        var text = reported.Trim();
        var m = MoneyPattern().Match(text);
        if (!m.Success || !decimal.TryParse(m.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal),
                NumberStyles.AllowDecimalPoint, Invariant, out var number))
        {
            return null;
        }
        var currency = m.Groups["cur"].Value.ToUpperInvariant() switch
        {
            "HK$" or "HKD" => "HKD",
            "¥" or "￥" or "RMB" or "CNY" => "CNY",
            _ => "USD",
        };
        if (m.Groups["cur"].Value.Length == 0 && m.Groups["unit"].Value is "亿" or "万")
        {
            currency = "CNY"; // "5亿" with no currency is yuan
        }
        var factor = m.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "k" or "thousand" => 1_000m,
            "m" or "mn" or "million" => 1_000_000m,
            "b" or "bn" or "billion" => 1_000_000_000m,
            "t" or "tn" or "trillion" => 1_000_000_000_000m,
            "亿" => 100_000_000m,
            "万" => 10_000m,
            _ => 1m,
        };
        var before = text[..m.Index].ToLowerInvariant();
        var qualifier = m.Groups["q"].Value switch
        {
            ">" or "≥" or ">=" => FigureQualifier.AtLeast,
            "<" or "≤" or "<=" => FigureQualifier.AtMost,
            "~" or "≈" => FigureQualifier.Approximate,
            _ when before.Contains("up to", StringComparison.Ordinal) => FigureQualifier.AtMost,
            _ when before.Contains("over", StringComparison.Ordinal) || before.Contains("more than", StringComparison.Ordinal) => FigureQualifier.AtLeast,
            _ when before.Contains("about", StringComparison.Ordinal) || before.Contains("around", StringComparison.Ordinal) => FigureQualifier.Approximate,
            _ => FigureQualifier.Exact,
        };
        // 1.2 × 1e9 is 1200000000.0 to decimal: drop the scale, or forms show the trailing ".0".
        return (Components.Shared.Decimals.Plain(number * factor), currency, qualifier);
    }

    /// <summary>"24 Mar 2023" → "2023-03-24"; "Apr 2023" → "2023-04"; "early 2022" → "2022"; null when no year.</summary>
    public static string? Date(string reported)
    {
        // What follows in brackets is the source's comment ("(team assembled)"), not part of the date.
        var text = Brackets().Replace(reported, "").Trim();
        if (PartialDates.TryParse(text, out var d, out var p))
        {
            return PartialDates.Write(d, p);
        }
        string[] dayFormats = ["d MMM yyyy", "d MMMM yyyy", "MMM d yyyy", "MMM d, yyyy", "MMMM d, yyyy"];
        if (DateOnly.TryParseExact(text, dayFormats, Invariant, DateTimeStyles.AllowWhiteSpaces, out var day))
        {
            return PartialDates.Write(day, DatePrecision.Day);
        }
        string[] monthFormats = ["MMM yyyy", "MMMM yyyy", "MMM. yyyy"];
        if (DateOnly.TryParseExact(text, monthFormats, Invariant, DateTimeStyles.AllowWhiteSpaces, out var month))
        {
            return PartialDates.Write(month, DatePrecision.Month);
        }
        var year = Year().Match(text);
        return year.Success ? year.Value : null;
    }

    [GeneratedRegex(@"(?<q>>=|<=|[><≥≤~≈])?\s*(?<cur>HK\$|US\$|HKD|USD|RMB|CNY|[$¥￥])?\s*(?<n>\d[\d,]*(?:\.\d+)?)\s*(?<unit>trillion|billion|million|thousand|tn|bn|mn|[kmbt亿万])?(?![a-z])",
        RegexOptions.IgnoreCase)]
    private static partial Regex MoneyPattern();

    [GeneratedRegex(@"\([^)]*\)")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(19|20)\d{2}\b")]
    private static partial Regex Year();
}

using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AiLandscape.Web.Features.Editing;

/// <summary>
/// An amount as an editor types it, read into full units: one figure (<see cref="Min"/> = <see cref="Max"/>) or a
/// range; the currency when the text names one (US$, ¥, RMB, HK$, 元); approximate when it says "about", "over", "约".
/// </summary>
public sealed record ParsedAmount(decimal Min, decimal Max, string? Currency, bool Approximate)
{
    public bool IsRange => Min != Max;
}

/// <summary>
/// Reads the amounts people write: "1.5 billion", "1.5bn", "$1.5B", "US$ 1.5 billion", "RMB 500 million", "500m",
/// "1,500,000,000", "15亿", "1.5万", "1亿5000万", and ranges ("1-1.5 billion", "1亿–2亿", "1 to 1.5 billion").
/// The one place the app turns typed amounts into numbers: forms and services call it, nothing else parses.
/// </summary>
public static partial class AmountParser
{
    /// <summary>What the field accepts, for its message when the text cannot be read.</summary>
    public const string Expected =
        "a number with an optional unit and currency, such as 1500000000, 1,500,000,000, 1.5 billion, 1.5bn, 500m, US$1.5B, RMB 500 million, 15亿 or 1.5万; a range as 1-1.5 billion";

    /// <summary>The message for text that cannot be read: the field's label and the rule.</summary>
    public static string Unreadable(string label, string text) =>
        $"{label}: “{text.Trim()}” is not an amount. Write {Expected}.";

    private static readonly (string Word, decimal Factor)[] LatinUnits =
    [
        ("trillion", 1e12m), ("tn", 1e12m), ("t", 1e12m),
        ("billion", 1e9m), ("bln", 1e9m), ("bn", 1e9m), ("b", 1e9m),
        ("million", 1e6m), ("mln", 1e6m), ("mio", 1e6m), ("mn", 1e6m), ("mm", 1e6m), ("m", 1e6m),
        ("thousand", 1e3m), ("k", 1e3m),
    ];

    /// <summary>Chinese units, longest first so 百万 is read before 万.</summary>
    private static readonly (string Word, decimal Factor)[] ChineseUnits =
    [
        ("万亿", 1e12m), ("兆", 1e12m), ("千亿", 1e11m), ("百亿", 1e10m), ("十亿", 1e9m), ("千万", 1e7m), ("百万", 1e6m), ("十万", 1e5m),
        ("亿", 1e8m), ("萬", 1e4m), ("万", 1e4m), ("千", 1e3m),
    ];

    /// <summary>Currency marks and words, longest first; the value is the ISO code.</summary>
    private static readonly (string Mark, string Code)[] Currencies =
    [
        ("us dollars", "USD"), ("us dollar", "USD"), ("hk dollars", "HKD"), ("hk dollar", "HKD"),
        ("dollars", "USD"), ("dollar", "USD"), ("人民币", "CNY"), ("美元", "USD"), ("港元", "HKD"), ("港币", "HKD"),
        ("yuan", "CNY"), ("usd", "USD"), ("cny", "CNY"), ("rmb", "CNY"), ("hkd", "HKD"),
        ("us$", "USD"), ("hk$", "HKD"), ("u.s.$", "USD"), ("$", "USD"), ("¥", "CNY"), ("￥", "CNY"), ("元", "CNY"),
    ];

    private static readonly string[] ApproximateWords =
    [
        "approximately", "approx.", "approx", "around", "about", "roughly", "nearly", "almost", "more than", "over",
        "up to", "some", "circa", "~", "约", "近", "超过", "逾",
    ];

    /// <summary>Reads <paramref name="text"/>; false (and null) when it is not an amount or a range of amounts.</summary>
    public static bool TryParse(string? text, out ParsedAmount? amount)
    {
        amount = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        // Full-width digits and signs (１．５亿, ＄) read as their ASCII forms.
        var s = TextRules.WellFormed(text).Normalize(NormalizationForm.FormKC).Trim().ToLowerInvariant();
        string? currency = null;
        var approximate = false;

        s = TakeMarks(s, ref currency, ref approximate);
        if (s.Length == 0)
        {
            return false;
        }
        // A minus sign is read, not refused, so the field's rule can say "must be zero or more".
        if (s[0] is '-' or '−' && s.Length > 1)
        {
            if (!TryReadFigure(TakeMarks(s[1..], ref currency, ref approximate), out var magnitude, out _))
            {
                return false;
            }
            amount = new ParsedAmount(-magnitude, -magnitude, currency, approximate);
            return true;
        }

        var parts = RangeSeparator().Split(s);
        if (parts.Length > 2)
        {
            return false;
        }
        if (parts.Length == 2)
        {
            var lowText = TakeMarks(parts[0].Trim(), ref currency, ref approximate);
            var highText = TakeMarks(parts[1].Trim(), ref currency, ref approximate);
            if (!TryReadFigure(lowText, out var low, out var lowUnit) || !TryReadFigure(highText, out var high, out var highUnit))
            {
                return false;
            }
            // "1-1.5 billion": a bare low end takes the high end's unit (and the other way round).
            if (lowUnit is null && highUnit is { } hu)
            {
                low *= hu;
            }
            else if (highUnit is null && lowUnit is { } lu)
            {
                high *= lu;
            }
            if (low > high)
            {
                return false;
            }
            amount = new ParsedAmount(low, high, currency, approximate);
            return true;
        }

        if (!TryReadFigure(s, out var value, out _))
        {
            return false;
        }
        amount = new ParsedAmount(value, value, currency, approximate);
        return true;
    }

    /// <summary>Strips currency marks and approximation words from both ends (and a trailing "+"), noting them.</summary>
    private static string TakeMarks(string s, ref string? currency, ref bool approximate)
    {
        var changed = true;
        while (changed && s.Length > 0)
        {
            changed = false;
            foreach (var word in ApproximateWords)
            {
                if (StartsWithWord(s, word))
                {
                    s = s[word.Length..].TrimStart();
                    approximate = changed = true;
                }
            }
            if (s.EndsWith('+') || s.EndsWith("多", StringComparison.Ordinal) || s.EndsWith("余", StringComparison.Ordinal))
            {
                s = s[..^1].TrimEnd();
                approximate = changed = true;
            }
            foreach (var (mark, code) in Currencies)
            {
                if (StartsWithWord(s, mark))
                {
                    s = s[mark.Length..].TrimStart();
                    currency ??= code;
                    changed = true;
                }
                else if (s.EndsWith(mark, StringComparison.Ordinal))
                {
                    var rest = s[..^mark.Length];
                    // "1.5b usd" but not the "d" of "1.5bn usd" read alone: a word mark needs a space or a digit before it.
                    if (mark.All(char.IsAsciiLetter) && rest.Length > 0 && char.IsAsciiLetter(rest[^1]))
                    {
                        continue;
                    }
                    s = rest.TrimEnd();
                    currency ??= code;
                    changed = true;
                }
            }
        }
        return s;
    }

    private static bool StartsWithWord(string s, string word)
    {
        if (!s.StartsWith(word, StringComparison.Ordinal))
        {
            return false;
        }
        // "over" must not take the start of a longer word; marks ending in a symbol ("us$", "~") need no break.
        return !char.IsAsciiLetter(word[^1]) || s.Length == word.Length || !char.IsAsciiLetter(s[word.Length]);
    }

    /// <summary>
    /// One figure: "1,500,000,000", "1.5 billion", "1.5bn", "15亿", "1亿5000万" (parts whose units fall, summed).
    /// <paramref name="unit"/> is the unit of the last part, null when the figure has none.
    /// </summary>
    private static bool TryReadFigure(string s, out decimal value, out decimal? unit)
    {
        value = 0;
        unit = null;
        s = s.Trim();
        if (s.Length == 0)
        {
            return false;
        }
        decimal? previousFactor = null;
        var position = 0;
        var anyPart = false;
        while (position < s.Length)
        {
            var match = Part().Match(s, position);
            if (!match.Success || match.Index != position)
            {
                return false;
            }
            if (!TryNumber(match.Groups["number"].Value, out var number))
            {
                return false;
            }
            var unitText = match.Groups["unit"].Value.Trim();
            decimal? factor = null;
            if (unitText.Length > 0)
            {
                factor = LatinUnits.Concat(ChineseUnits).FirstOrDefault(u => u.Word == unitText).Factor is var f and > 0 ? f : null;
                if (factor is null)
                {
                    return false;
                }
            }
            // A part after a unit must be in a smaller unit: "1亿5000万" yes, "5000万1亿" or "1.5 2" no.
            if (anyPart && (previousFactor is null || (factor ?? 1) >= previousFactor))
            {
                return false;
            }
            try
            {
                value += number * (factor ?? 1);
            }
            catch (OverflowException)
            {
                return false;
            }
            previousFactor = factor;
            unit = factor;
            anyPart = true;
            position = match.Index + match.Length;
        }
        return anyPart;
    }

    /// <summary>
    /// "1500000000", "1,500,000,000", "1 500 000", "1.5": commas and spaces group thousands only (so "1,5" is refused
    /// rather than guessed).
    /// </summary>
    private static bool TryNumber(string text, out decimal number)
    {
        number = 0;
        var t = text.Trim();
        if (t.Contains(',') || t.Contains(' '))
        {
            if (!GroupedNumber().IsMatch(t))
            {
                return false;
            }
            t = t.Replace(",", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);
        }
        return decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number);
    }

    [GeneratedRegex(@"\G\s*(?<number>\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)\s*(?<unit>[a-z]+|[万萬亿千百十兆]+)?\s*")]
    private static partial Regex Part();

    [GeneratedRegex(@"^\d{1,3}(?:([, ])\d{3})(?:\1\d{3})*(?:\.\d+)?$")]
    private static partial Regex GroupedNumber();

    /// <summary>"1-1.5", "1 – 1.5", "1亿至2亿", "1 to 1.5": a hyphen or dash between figures, or a word.</summary>
    [GeneratedRegex(@"\s*(?:[-‐‑‒–—~〜～]|\bto\b|至|到)\s*")]
    private static partial Regex RangeSeparator();
}

using System.Globalization;
using System.Text.RegularExpressions;
using AiLandscape.Web.Data;

namespace AiLandscape.Web.Features.Editing;

/// <summary>
/// Collects errors and warnings for one request. Every message names the field (its label as the form shows it) and
/// the rule it breaks, so the same text reads well under the field and in an API's ProblemDetails.
/// </summary>
public sealed partial class Validator(DateOnly today)
{
    public static readonly DateOnly EarliestDate = new(1990, 1, 1);

    /// <summary>Currencies the app can convert to US$ (USD itself, CNY by monthly rates, HKD by its peg).</summary>
    public static readonly IReadOnlyList<string> Currencies = ["USD", "CNY", "HKD"];

    private readonly List<FieldMessage> _errors = [];
    private readonly List<FieldMessage> _warnings = [];

    /// <summary>
    /// Today as the latest time zone sees it (UTC+14): an editor in Beijing entering today's announcement before
    /// UTC midnight must not be told it is in the future.
    /// </summary>
    public static DateOnly Today(TimeProvider? clock = null) =>
        DateOnly.FromDateTime((clock ?? TimeProvider.System).GetUtcNow().UtcDateTime.AddHours(14));

    public Validator() : this(Today())
    {
    }

    public IReadOnlyList<FieldMessage> Errors => _errors;
    public IReadOnlyList<FieldMessage> Warnings => _warnings;
    public bool IsValid => _errors.Count == 0;
    public DateOnly TodayDate => today;

    public Validator Error(string field, string message)
    {
        // One message per field is enough: the first rule broken is the one to fix.
        if (!_errors.Any(e => e.Field == field))
        {
            _errors.Add(new FieldMessage(field, message));
        }
        return this;
    }

    public Validator Warn(string field, string message)
    {
        _warnings.Add(new FieldMessage(field, message));
        return this;
    }

    public Validator Required(string field, string label, string? value) =>
        string.IsNullOrWhiteSpace(value) ? Error(field, $"{label} is required.") : this;

    public Validator Required<T>(string field, string label, T? value) where T : struct =>
        value is null ? Error(field, $"{label} is required.") : this;

    public Validator MaxLength(string field, string label, string? value, int max) =>
        value is not null && value.Trim().Length > max ? Error(field, $"{label} must be at most {max} characters.") : this;

    /// <summary>
    /// The largest amount accepted: the columns (numeric(20,4)) hold 16 digits before the point, and 10^15 of any
    /// currency is beyond every real figure, so a typo of a few extra zeros is caught too.
    /// </summary>
    public const decimal MaxAmount = 1_000_000_000_000_000m;

    /// <summary>The largest exchange rate accepted (numeric(18,6) holds 12 digits before the point).</summary>
    public const decimal MaxRate = 1_000_000m;

    /// <summary>An amount: zero or more, and at most <see cref="MaxAmount"/>.</summary>
    public Validator NotNegative(string field, string label, decimal? value) =>
        value < 0 ? Error(field, $"{label} must be zero or more.")
        : value > MaxAmount ? Error(field, $"{label} must be at most 1,000,000,000,000,000 (10^15).")
        : this;

    /// <summary>The smallest exchange rate stored (numeric(18,6)): a smaller one would be kept as zero.</summary>
    public const decimal MinRate = 0.000001m;

    /// <summary>A rate: at least <see cref="MinRate"/>, and at most <see cref="MaxRate"/>.</summary>
    public Validator Positive(string field, string label, decimal? value) =>
        value <= 0 ? Error(field, $"{label} must be more than zero.")
        : value < MinRate ? Error(field, $"{label} must be at least 0.000001 (six decimal places are kept).")
        : value > MaxRate ? Error(field, $"{label} must be at most 1,000,000.")
        : this;

    public Validator MinNotAboveMax(string field, string minLabel, decimal? min, string maxLabel, decimal? max) =>
        min is not null && max is not null && min > max
            ? Error(field, $"{minLabel} must not be more than {maxLabel.ToLowerInvariant()}.")
            : this;

    public Validator Currency(string field, string label, string? code) =>
        code is null || !Currencies.Contains(code)
            ? Error(field, $"{label} must be a supported ISO 4217 code: {string.Join(", ", Currencies)}.")
            : this;

    /// <summary>A date of something that has happened: not in the future, not before 1990.</summary>
    public Validator PastDate(string field, string label, DateOnly? value)
    {
        if (value > today)
        {
            return Error(field, $"{label} must not be in the future.");
        }
        return value < EarliestDate ? Error(field, $"{label} must not be before 1990.") : this;
    }

    /// <summary>A date typed as YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD, checked as a past date.</summary>
    public Validator PartialDate(string field, string label, string? text, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return required ? Error(field, $"{label} is required.") : this;
        }
        return PartialDates.TryParse(text, out var date, out _)
            ? PastDate(field, label, date)
            : Error(field, $"{label} must be a date written YYYY, YYYY-MM, YYYY-Qn or YYYY-MM-DD.");
    }

    /// <summary>A BCP 47 language tag ("en", "zh", "zh-Hans"), when given.</summary>
    public Validator Language(string field, string label, string? tag) =>
        !string.IsNullOrWhiteSpace(tag) && (tag.Trim().Length > 16 || !LanguageTagPattern().IsMatch(tag.Trim()))
            ? Error(field, $"{label} must be a BCP 47 tag such as en, zh or zh-Hans (at most 16 characters).")
            : this;

    public Validator Slug(string field, string? slug)
    {
        if (string.IsNullOrWhiteSpace(slug))
        {
            return Error(field, "Slug is required.");
        }
        if (slug.Length > 80)
        {
            return Error(field, "Slug must be at most 80 characters.");
        }
        return SlugPattern().IsMatch(slug)
            ? this
            : Error(field, "Slug must be URL-safe: lowercase letters a–z, digits and single hyphens (e.g. moonshot-ai).");
    }

    public Validator HttpUrl(string field, string label, string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return this;
        }
        return Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)
               && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
               && !string.IsNullOrEmpty(uri.Host)
            ? this
            : Error(field, $"{label} must be an absolute http:// or https:// URL.");
    }

    /// <summary>A URL-safe slug made from a name (for new records the editor did not give one).</summary>
    public static string SlugFrom(string name)
    {
        var ascii = new string(name.Normalize(System.Text.NormalizationForm.FormD)
            .Where(c => CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            .Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-').ToArray());
        var slug = Hyphens().Replace(ascii, "-").Trim('-');
        return slug.Length > 80 ? slug[..80].TrimEnd('-') : slug;
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugPattern();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
    private static partial Regex LanguageTagPattern();

    [GeneratedRegex("-+")]
    private static partial Regex Hyphens();
}

/// <summary>Dates as sources give them: "2022", "2024-03", "2025-Q1", "2026-01-09".</summary>
public static class PartialDates
{
    public static bool TryParse(string? text, out DateOnly date, out DatePrecision precision)
    {
        date = default;
        precision = DatePrecision.Day;
        var t = text?.Trim() ?? "";
        var inv = CultureInfo.InvariantCulture;
        if (DateOnly.TryParseExact(t, "yyyy-MM-dd", inv, DateTimeStyles.None, out date))
        {
            precision = DatePrecision.Day;
            return true;
        }
        if (DateOnly.TryParseExact(t + "-01", "yyyy-MM-dd", inv, DateTimeStyles.None, out date))
        {
            precision = DatePrecision.Month;
            return true;
        }
        if (t.Length == 7 && t[4] == '-' && (t[5] == 'Q' || t[5] == 'q') && t[6] is >= '1' and <= '4'
            && int.TryParse(t[..4], NumberStyles.None, inv, out var qy) && qy >= 1)
        {
            date = new DateOnly(qy, (t[6] - '1') * 3 + 1, 1);
            precision = DatePrecision.Quarter;
            return true;
        }
        if (t.Length == 4 && int.TryParse(t, NumberStyles.None, inv, out var y) && y >= 1)
        {
            date = new DateOnly(y, 1, 1);
            precision = DatePrecision.Year;
            return true;
        }
        return false;
    }

    public static DateOnly? ParseOrNull(string? text) => TryParse(text, out var d, out _) ? d : null;

    public static string? Write(DateOnly? date, DatePrecision precision) => date is not { } d ? null : precision switch
    {
        DatePrecision.Year => d.ToString("yyyy", CultureInfo.InvariantCulture),
        DatePrecision.Quarter => $"{d.Year:D4}-Q{(d.Month - 1) / 3 + 1}",
        DatePrecision.Month => d.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}

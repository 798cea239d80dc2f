using System.Globalization;

namespace AiLandscape.Web.Components.Shared;

/// <summary>
/// What a user types in a "from" or "to" date filter: a day (2025-12-31), a month (2025-12) or a year (2025).
/// A month or year means its first day in a "from" field and its last day in a "to" field.
/// </summary>
public static class DateFilterText
{
    public const string Hint = "yyyy-mm-dd, yyyy-mm or yyyy";

    public static string? Format(DateOnly? date) => date?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>False when the text is not a date; an empty text is a valid "no date".</summary>
    public static bool TryParse(string? text, bool endOfPeriod, out DateOnly? date)
    {
        date = null;
        var t = text?.Trim() ?? "";
        if (t.Length == 0)
        {
            return true;
        }
        var culture = CultureInfo.InvariantCulture;
        if (DateOnly.TryParseExact(t, ["yyyy-MM-dd", "yyyy-M-d"], culture, DateTimeStyles.None, out var day))
        {
            date = day;
            return true;
        }
        if (DateOnly.TryParseExact(t, ["yyyy-MM", "yyyy-M"], culture, DateTimeStyles.None, out var month))
        {
            date = endOfPeriod ? month.AddMonths(1).AddDays(-1) : month;
            return true;
        }
        if (t.Length == 4 && int.TryParse(t, NumberStyles.None, culture, out var year) && year >= 1900)
        {
            date = endOfPeriod ? new DateOnly(year, 12, 31) : new DateOnly(year, 1, 1);
            return true;
        }
        return false;
    }
}

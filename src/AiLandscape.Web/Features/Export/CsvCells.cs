using System.Globalization;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Editing;

namespace AiLandscape.Web.Features.Export;

/// <summary>
/// How every CSV download writes its cells, so a file reads the same in Excel, pandas and CsvHelper: numbers in the
/// invariant culture with no thousands separators and no trailing zeros (<c>20000000000</c>, <c>1.9</c>, never
/// <c>20000000000.0000</c>); dates in ISO 8601 at the precision the source gave (<c>2024</c>, <c>2024-07</c>,
/// <c>2024-07-15</c>; a quarter as <c>2025-Q1</c>) beside a <c>_precision</c> column; empty for unknown, never 0.
/// </summary>
public static class CsvCells
{
    public static string? Number(decimal? value) =>
        value?.ToString("0.############################", CultureInfo.InvariantCulture);

    public static string? Number(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    public static string? Date(DateOnly? date, DatePrecision precision) => PartialDates.Write(date, precision);

    public static string? Precision(DateOnly? date, DatePrecision precision) => date is null ? null : precision.ToString();

    public static string Bool(bool value) => value ? "true" : "false";

    /// <summary>The two columns that say which view a file holds: <c>as_of_date</c> and <c>as_of_view</c>.</summary>
    public static readonly string[] AsOfColumns = ["as_of_date", "as_of_view"];

    /// <summary>
    /// "current" and the UTC day of the download for today's data; otherwise the as-of day and "event" (only what was
    /// dated by then) or "knowledge" (what the database held at the end of that day).
    /// </summary>
    public static (string Date, string View) AsOf(AsOfView? view) => view is null
        ? (DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "current")
        : (view.DateText, view.ModeText);

    /// <summary>"ailandscape-compare.csv", or "ailandscape-compare-as-of-2025-01-01-event.csv" for an as-of view.</summary>
    public static string FileName(string name, AsOfView? view) =>
        view is null ? $"ailandscape-{name}.csv" : $"ailandscape-{name}-as-of-{view.DateText}-{view.ModeText}.csv";
}

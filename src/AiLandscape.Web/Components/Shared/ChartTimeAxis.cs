using MudBlazor;

namespace AiLandscape.Web.Components.Shared;

/// <summary>
/// A time axis whose labels sit on the calendar periods they name. MudBlazor's time-series chart puts a label every
/// <c>TimeLabelSpacing</c> counted from 1 January of year 1, so with 365 days the "2025" label lands months away from
/// 1 January 2025 (leap days add up) and a January 2026 point sits at "2025". Here the spacing is a whole number of
/// Julian years (365.25 days) or a half or quarter of one, and every point is moved by the same few days
/// (<see cref="Shift"/>) so that 1 January of the first year lies exactly on a tick: later ticks fall within a day of
/// 1 January (or 1 April, July, October) and each label's text is its period. Tooltips never show the moved date.
/// </summary>
public sealed class ChartTimeAxis
{
    private static readonly TimeSpan JulianYear = TimeSpan.FromTicks(TimeSpan.TicksPerDay * 36525 / 100);

    private ChartTimeAxis(TimeSpan spacing, TimeSpan shift, string labelFormat)
    {
        Spacing = spacing;
        Shift = shift;
        LabelFormat = labelFormat;
    }

    public TimeSpan Spacing { get; }
    public TimeSpan Shift { get; }
    public string LabelFormat { get; }

    /// <summary>Yearly labels over more than three years (every second year past eight), else half-years or quarters.</summary>
    public static ChartTimeAxis For(IEnumerable<DateOnly> dates)
    {
        var all = dates.ToList();
        var first = all.Count > 0 ? all.Min() : DateOnly.FromDateTime(DateTime.UtcNow);
        var last = all.Count > 0 ? all.Max() : first;
        var years = (last.DayNumber - first.DayNumber) / 365.25;
        var (spacing, format) = years switch
        {
            > 8 => (JulianYear * 2, "yyyy"),
            > 3 => (JulianYear, "yyyy"),
            > 1.5 => (JulianYear / 2, "MMM yyyy"),
            _ => (JulianYear / 4, "MMM yyyy"),
        };
        // Moves 1 January of the first year onto the nearest whole number of Julian years (about two weeks later in
        // this century); every tick is a multiple of a quarter of one, so ticks then fall on calendar periods.
        var january = new DateTime(first.Year, 1, 1).Ticks;
        var shift = TimeSpan.FromTicks((long)Math.Round((double)january / JulianYear.Ticks) * JulianYear.Ticks - january);
        return new ChartTimeAxis(spacing, shift, format);
    }

    public DateTime Plot(DateOnly date) => date.ToDateTime(TimeOnly.MinValue) + Shift;

    /// <summary>The key a tooltip finds its point by: MudBlazor hands the hovered point's X formatted with <see cref="TooltipKeyFormat"/>.</summary>
    public string Key(DateOnly date) => Plot(date).ToString(TooltipKeyFormat, System.Globalization.CultureInfo.InvariantCulture);

    public const string TooltipKeyFormat = "yyyy-MM-ddTHH:mm:ss";

    public TimeSeriesChartOptions Options(ChartScale scale, IEnumerable<string> palette) => new()
    {
        TimeLabelFormat = LabelFormat,
        TooltipTimeLabelFormat = TooltipKeyFormat,
        TimeLabelSpacing = Spacing,
        TimeLabelSpacingRounding = true,
        // Pads the axis to whole periods, so the first and last labels bracket the points.
        TimeLabelSpacingRoundingPadSeries = true,
        YAxisToStringFunc = scale.Label,
        YAxisRequireZeroPoint = true,
        YAxisTicks = scale.TickStep,
        MaxNumYAxisTicks = 8,
        ShowDataMarkers = true,
        InterpolationOption = InterpolationOption.Straight,
        YAxisLines = true,
        ChartPalette = palette.ToArray(),
    };
}

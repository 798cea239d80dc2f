using System.Globalization;
using AiLandscape.Web.Data;
using Microsoft.AspNetCore.Components;

namespace AiLandscape.Web.Components.Shared;

/// <summary>
/// A date shown only as precisely as its source gave it: <c>@(DateWithPrecision.For(date, precision))</c>.
/// Markup written into the calling component, not a component of its own: a profile shows hundreds of dates, and each
/// component instance holds its own render tree in the circuit for as long as the page is open (ADR 0014).
/// </summary>
public static class DateWithPrecision
{
    public static RenderFragment For(DateOnly? date, DatePrecision precision) => builder =>
    {
        if (date is { } d)
        {
            builder.OpenElement(0, "time");
            builder.AddAttribute(1, "datetime", IsoValue(d, precision));
            builder.AddAttribute(2, "title", Title(precision));
            builder.AddContent(3, Format.Date(d, precision));
            builder.CloseElement();
        }
        else
        {
            builder.OpenElement(4, "span");
            builder.AddAttribute(5, "class", "undisclosed");
            builder.AddContent(6, Format.Date(null, precision));
            builder.CloseElement();
        }
    };

    private static string Title(DatePrecision precision) => precision switch
    {
        DatePrecision.Year => "the source gives only the year",
        DatePrecision.Quarter => "the source gives only the quarter",
        DatePrecision.Month => "the source gives only the month",
        _ => "exact date",
    };

    private static string IsoValue(DateOnly d, DatePrecision precision) => precision switch
    {
        DatePrecision.Year => d.ToString("yyyy", CultureInfo.InvariantCulture),
        DatePrecision.Month or DatePrecision.Quarter => d.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}

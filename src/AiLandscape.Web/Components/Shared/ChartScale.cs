namespace AiLandscape.Web.Components.Shared;

/// <summary>
/// Puts US dollar amounts on a chart axis with round ticks ("US$0, US$1B, US$2B"): values are plotted in a unit
/// (millions or billions) chosen from the largest value, so tick spacing stays a small whole number.
/// </summary>
public sealed record ChartScale(decimal Unit, int TickStep)
{
    public static ChartScale ForMaximum(decimal maxUsd)
    {
        var unit = maxUsd >= 2_000_000_000m ? 1_000_000_000m : 1_000_000m;
        var scaled = (double)(Math.Max(maxUsd, unit) / unit);
        var rough = scaled / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = new[] { 1, 2, 5, 10 }.Select(m => m * magnitude).First(s => s >= rough);
        return new ChartScale(unit, Math.Max(1, (int)Math.Round(step)));
    }

    public double Plot(decimal usd) => (double)(usd / Unit);

    public string Label(double plotted) => Format.Money((decimal)plotted * Unit, "USD");
}

namespace AiLandscape.Web.Components.Shared;

public static class Decimals
{
    /// <summary>
    /// Drops the trailing zeros that the database's numeric(20,4) adds (5000000000.0000 becomes 5000000000), so forms
    /// and API clients see the figure as reported.
    /// </summary>
    public static decimal Plain(decimal value) => value / 1.000000000000000000000000000000000m;

    public static decimal? Plain(decimal? value) => value is { } v ? Plain(v) : null;
}

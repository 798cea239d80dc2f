using System.Globalization;

namespace AiLandscape.Web.Components.Shared;

/// <summary>
/// A page's typed query parameter, read from its text. Blazor throws on a [SupplyParameterFromQuery] value it cannot
/// parse into the property's type (a 500 for <c>/companies?page=abc</c> or <c>?from=2147483648</c>, found by the form
/// fuzz test), so pages take their query parameters as text and read them here: a value that is no number is ignored,
/// as a missing one is.
/// </summary>
public static class QueryValue
{
    public static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static decimal? Decimal(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>"true" (any case) is true; anything else, false.</summary>
    public static bool Bool(string? text) => bool.TryParse(text, out var value) && value;
}

namespace AiLandscape.Web.Components.Shared;

/// <summary>
/// One colour per company, the same on every chart (the comparison whatever else is selected, the profile, the home
/// page): it comes from the company's id, never from its position in a chart's series. Consecutive ids get different
/// colours, so twelve companies in a row never share one. The colours are distinguishable for common colour-vision
/// deficiencies (Tableau 10 and two more) and dark enough for lines on white.
/// </summary>
public static class CompanyColors
{
    public static readonly IReadOnlyList<string> Palette =
    [
        "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
        "#b07aa1", "#ff9da7", "#9c755f", "#79706e", "#1f77b4", "#8c564b",
    ];

    /// <summary>The colour of everything that is not one company ("Other companies", totals).</summary>
    public const string Other = "#bab0ac";

    public static string For(int companyId) => Palette[((companyId - 1) % Palette.Count + Palette.Count) % Palette.Count];

    public static string For(int? companyId) => companyId is { } id ? For(id) : Other;
}

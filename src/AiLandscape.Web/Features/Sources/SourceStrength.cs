using AiLandscape.Web.Data;

namespace AiLandscape.Web.Features.Sources;

/// <summary>
/// How strong a source is as evidence, by its kind: the order of <see cref="SourceKind"/> (a regulatory filing first,
/// a mirror or other last). Ranked here in C#: the kind is stored as its name, so SQL would sort it alphabetically
/// and put aggregators first.
/// </summary>
public static class SourceStrength
{
    /// <summary>Strongest kind first, then by source id so the order is stable from one load to the next.</summary>
    public static IReadOnlyList<CitationView> StrongestFirst(IEnumerable<CitationView> citations) =>
        citations.OrderBy(c => (int)c.Kind).ThenBy(c => c.SourceId).ToList();

    /// <summary>A filing, the company's own announcement or a news agency: what "coverage" counts as backed.</summary>
    public static bool IsStrong(SourceKind kind) => kind is SourceKind.RegulatoryFiling or SourceKind.CompanyAnnouncement or SourceKind.NewsAgency;

    /// <summary>An aggregator, a copy of another source, or other: not to be relied on alone.</summary>
    public static bool IsWeak(SourceKind kind) => kind is SourceKind.Aggregator or SourceKind.Mirror or SourceKind.Other;

    public static string Label(SourceKind kind) => kind switch
    {
        SourceKind.RegulatoryFiling => "regulatory filing",
        SourceKind.CompanyAnnouncement => "company announcement",
        SourceKind.NewsAgency => "news agency",
        SourceKind.Newspaper => "newspaper",
        SourceKind.Aggregator => "aggregator",
        SourceKind.Mirror => "copy of another source",
        _ => "other",
    };

    /// <summary>A word that fits next to a source link in a table cell.</summary>
    public static string ShortLabel(SourceKind kind) => kind switch
    {
        SourceKind.RegulatoryFiling => "filing",
        SourceKind.CompanyAnnouncement => "company",
        SourceKind.NewsAgency => "agency",
        SourceKind.Newspaper => "newspaper",
        SourceKind.Aggregator => "aggregator",
        SourceKind.Mirror => "copy",
        _ => "other",
    };

    /// <summary>"zh-CN" → "Chinese"; an unknown tag is shown as written, a missing one as "language not recorded".</summary>
    public static string LanguageName(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return "language not recorded";
        }
        try
        {
            var culture = System.Globalization.CultureInfo.GetCultureInfo(tag.Trim());
            // The neutral culture's English name: "Chinese", not "Chinese (Simplified, China)".
            var neutral = culture.IsNeutralCulture || culture.Parent == System.Globalization.CultureInfo.InvariantCulture ? culture : culture.Parent;
            return neutral.EnglishName.Split(" (", 2)[0];
        }
        catch (System.Globalization.CultureNotFoundException)
        {
            return tag.Trim();
        }
    }
}

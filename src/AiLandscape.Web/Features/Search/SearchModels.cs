using System.Text.Json.Serialization;

namespace AiLandscape.Web.Features.Search;

public enum SearchKind { Company, Investor, Person, Model, Source }

/// <summary>
/// One thing found: its names in both scripts (when it has a Chinese one), a line of context ("Founder &amp; CEO,
/// 01.AI", "DeepSeek · Jan 2025 · open weights") and where it lives. <see cref="IsExternal"/> marks a source's own
/// address (another site).
/// </summary>
public sealed record SearchHit(SearchKind Kind, string NameEn, string? NameZh, string? Context, string? Href,
    bool IsExternal = false);

/// <summary>The first hits of one kind, best first; <see cref="HasMore"/> when more matched than were taken.</summary>
public sealed record SearchGroup(SearchKind Kind, IReadOnlyList<SearchHit> Hits, bool HasMore);

/// <summary>
/// The answer to a query: the groups that found something, in the fixed order companies, investors, people, models,
/// sources; or a <see cref="Hint"/> instead when the query is too short to search.
/// </summary>
public sealed record SearchResults(string Query, string? Hint, IReadOnlyList<SearchGroup> Groups)
{
    [JsonIgnore]
    public bool IsEmpty => Groups.All(g => g.Hits.Count == 0);

    /// <summary>When nothing matched: the nearest names of any kind ("did you mean"), nearest first; else empty.</summary>
    public IReadOnlyList<string> Suggestions { get; init; } = [];

    [JsonIgnore]
    public IEnumerable<SearchHit> Hits => Groups.SelectMany(g => g.Hits);
}

public static class SearchLabels
{
    public static string Group(SearchKind kind) => kind switch
    {
        SearchKind.Company => "Companies",
        SearchKind.Investor => "Investors",
        SearchKind.Person => "People",
        SearchKind.Model => "Models",
        _ => "Sources",
    };

    public static string One(SearchKind kind) => kind switch
    {
        SearchKind.Company => "Company",
        SearchKind.Investor => "Investor",
        SearchKind.Person => "Person",
        SearchKind.Model => "Model",
        _ => "Source",
    };

    /// <summary>The address of the full results page for a query.</summary>
    public static string PageHref(string query) => "/search?q=" + Uri.EscapeDataString(query.Trim());

}

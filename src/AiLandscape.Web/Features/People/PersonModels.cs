using System.Text.Json.Serialization;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Sources;

namespace AiLandscape.Web.Features.People;

/// <summary>What the /people list asks for: a text filter and a page (zero-based; the URL shows it one-based).</summary>
public sealed record PersonQuery
{
    public string? Search { get; init; }
    public bool Descending { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; } = 25;
}

/// <summary>A person's role as a list row shows it: "CEO" at 01.AI.</summary>
public sealed record PersonRoleSummary(PersonRoleKind Kind, string? Title, string CompanySlug, string CompanyNameEn,
    string? CompanyNameZh, DateOnly? StartedOn, DateOnly? EndedOn);

public sealed record PersonListItem(int Id, string Slug, string NameEn, string? NameZh, string? Pinyin,
    IReadOnlyList<PersonRoleSummary> Roles)
{
    /// <inheritdoc cref="PersonNames.PinyinApart"/>
    [JsonIgnore]
    public string? PinyinApart => PersonNames.PinyinApart(NameEn, Pinyin);
}

/// <summary>One role at one company, with the dates its sources give (none for most founders).</summary>
public sealed record PersonRole(int Id, PersonRoleKind Kind, string? Title, DateOnly? StartedOn, DateOnly? EndedOn)
{
    /// <summary>A role with an end date is an earlier one.</summary>
    [JsonIgnore]
    public bool IsEarlier => EndedOn is not null;
}

/// <summary>The roles a person holds or held at one company.</summary>
public sealed record PersonCompany(string Slug, string NameEn, string? NameZh, IReadOnlyList<PersonRole> Roles);

/// <summary>An investor record that is this person investing in their own name (Investor.PersonId).</summary>
public sealed record PersonInvestor(int Id, string Slug, string NameEn, string? NameZh);

/// <summary>
/// Everything the person page shows. Plain records, so that the prerendered page can hand it to the circuit
/// (PrerenderHandoff) instead of querying twice.
/// </summary>
public sealed record PersonProfile(
    int Id,
    string Slug,
    string NameEn,
    string? NameZh,
    string? Pinyin,
    int? BirthYear,
    string? Bio,
    IReadOnlyList<PersonCompany> Companies,
    IReadOnlyList<PersonInvestor> Investors,
    IReadOnlyList<CitationView> Citations)
{
    private CitationIndex? _index;

    [JsonIgnore]
    public CitationIndex CitationIndex => _index ??= new CitationIndex(Citations);

    /// <inheritdoc cref="PersonNames.PinyinApart"/>
    [JsonIgnore]
    public string? PinyinApart => PersonNames.PinyinApart(NameEn, Pinyin);

    /// <summary>The sources of the person's own record (names and bio).</summary>
    [JsonIgnore]
    public IReadOnlyList<CitationView> PersonSources => CitationIndex.For(RecordType.Person, Id);
}

public static class PersonNames
{
    /// <summary>
    /// The pinyin to show beside the English name, or null when it would only repeat it: most people's English name
    /// is their pinyin already ("Liang Wenfeng"), letter for letter; "Li Kaifu" says what "Kai-Fu Lee" does not.
    /// </summary>
    public static string? PinyinApart(string nameEn, string? pinyin) =>
        pinyin is null || Letters(pinyin).SequenceEqual(Letters(nameEn)) ? null : pinyin;

    private static IEnumerable<char> Letters(string name) => name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant);
}

/// <summary>Translates between the /people URL and a <see cref="PersonQuery"/>.</summary>
public static class PersonUrl
{
    public const string Path = "/people";

    public static PersonQuery Parse(string? q, string? sort, int? page) => new()
    {
        Search = string.IsNullOrWhiteSpace(q) ? null : q,
        Descending = string.Equals(sort?.Trim(), "name-desc", StringComparison.OrdinalIgnoreCase),
        Page = page is > 1 ? page.Value - 1 : 0,
    };

    /// <summary>The query parameters of a view; defaults are left out so the plain /people stays plain.</summary>
    public static IReadOnlyDictionary<string, object?> Parameters(PersonQuery query) => new Dictionary<string, object?>
    {
        ["q"] = string.IsNullOrWhiteSpace(query.Search) ? null : query.Search,
        ["sort"] = query.Descending ? "name-desc" : null,
        ["page"] = query.Page > 0 ? query.Page + 1 : null,
    };
}

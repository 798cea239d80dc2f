using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Search;

/// <summary>
/// Bilingual, typo-tolerant name search over the trigger-maintained <c>search_text</c> columns: a substring match
/// (with and without spaces, so "yue zhi an mian" finds "Yuezhi Anmian") or a trigram word similarity ("deepsek"
/// finds "DeepSeek"). Case and accents are folded by PostgreSQL's unaccent on both sides; all three conditions can
/// use the trigram GIN index.
/// </summary>
public static class TextSearch
{
    private const string Escape = "\\";

    /// <param name="LooseCompactLike">The query without spaces, hyphens, dots or slashes: matches the "loose" form
    /// that people's and models' search text also holds ("deepseek-r1" and "deepseek r1" find "DeepSeek R1").</param>
    /// <param name="LooseTerm">The query with hyphens, underscores, dots and slashes as spaces ("deepseek r1").</param>
    /// <param name="Fuzzy">Whether typos are looked for: not for one or two letters ("ai"), where nearly every name
    /// shares a trigram with the query and the index would hand over the whole table to check.</param>
    /// <param name="StartLike">Matches a search text that starts with the query (the English name comes first).</param>
    public sealed record Terms(string Term, string Like, string CompactLike, string LooseCompactLike, string LooseTerm,
        string StartLike, bool Fuzzy);

    /// <summary>The query as compared: trimmed, lower case, spaces collapsed, LIKE-escaped; null when empty.</summary>
    public static Terms? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var term = string.Join(' ', text.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        term = term.Length > 200 ? term[..200] : term;
        var looseTerm = string.Join(' ', term.Split([' ', '-', '_', '.', '/', '·', '・'], StringSplitOptions.RemoveEmptyEntries));
        return new Terms(term, "%" + EscapeLike(term) + "%", "%" + EscapeLike(term.Replace(" ", "", StringComparison.Ordinal)) + "%",
            "%" + EscapeLike(looseTerm.Replace(" ", "", StringComparison.Ordinal)) + "%", looseTerm, EscapeLike(term) + "%",
            Fuzzy: term.Length >= 3);
    }

    /// <summary>
    /// What a picker, a filter or a directory list finds: every record whose name contains the query as typed
    /// (<see cref="Containing{T}"/>); only when there is none, the first <see cref="TypoCap"/> by id that resemble it
    /// (<see cref="Resembling{T}"/>: the nearest names from the GiST index, ADR 0031). The "is there none" test is
    /// uncorrelated: PostgreSQL runs it once and skips the typo scan when it is false.
    /// </summary>
    public static IQueryable<T> Matching<T>(this IQueryable<T> query, Terms? t) where T : class, ISearchable
    {
        if (t is null)
        {
            return query;
        }
        var containing = query.Containing(t);
        if (!t.Fuzzy)
        {
            return containing;
        }
        var typos = query.Where(_ => !containing.Any()).Resembling(t).Select(x => x.Id).OrderBy(id => id).Take(TypoCap);
        return query.Where(x => containing.Select(c => c.Id).Contains(x.Id) || typos.Contains(x.Id));
    }

    /// <summary>At most this many typo matches are found by <see cref="Matching{T}"/> (the first by id).</summary>
    public const int TypoCap = 1000;

    /// <summary>
    /// The name as typed, anywhere in a name, with or without its spaces (and, for people and models, without
    /// hyphens, dots or slashes): cheap per row, and the trigram index finds rare matches. One pattern, one index
    /// scan: every search text ends with the same names without spaces (and people's and models' also without
    /// hyphens and dots), so whatever contains the query as typed also contains it compacted.
    /// </summary>
    public static IQueryable<T> Containing<T>(this IQueryable<T> query, Terms t) where T : class, ISearchable
    {
        var compact = CompactPattern<T>(t);
        return query.Where(x => EF.Functions.Like(x.SearchText, AppDbContext.FoldAccents(compact), Escape));
    }

    /// <summary>
    /// A typo: among the <see cref="NearestCount"/> names nearest the query (the GiST index's KNN order, not a
    /// similarity computed for every row), those with a trigram word similarity of at least
    /// <see cref="TypoSimilarity"/> ("baichaun" for "Baichuan", 0.56), or, for four letters or more, a word one letter
    /// away ("zhpu" for "Zhipu": trigrams give it 0.4, as much as an unrelated name shares). Nothing below three letters.
    /// </summary>
    public static IQueryable<T> Resembling<T>(this IQueryable<T> query, Terms t) where T : class, ISearchable
    {
        if (!t.Fuzzy)
        {
            return query.Where(x => false);
        }
        var term = t.Term;
        var oneLetterCounts = term.Length >= 4;
        var near = query.Nearest(t, NearestCount)
            .Where(n => EF.Functions.TrigramsWordSimilarity(AppDbContext.FoldAccents(term), n.SearchText) >= TypoSimilarity
                        || oneLetterCounts && AppDbContext.WordDistance(AppDbContext.FoldAccents(term), n.SearchText) <= 1)
            .Select(n => n.Id);
        return query.Where(x => near.Contains(x.Id));
    }

    /// <summary>
    /// The <paramref name="take"/> records whose names come nearest the query by trigram word distance, nearest first:
    /// read from the GiST index in distance order, so the cost does not grow with the table.
    /// </summary>
    public static IQueryable<T> Nearest<T>(this IQueryable<T> query, Terms t, int take) where T : class, ISearchable =>
        query.OrderBy(n => EF.Functions.TrigramsWordSimilarityDistanceInverted(n.SearchText, AppDbContext.FoldAccents(t.Term)))
            .Take(take);

    /// <summary>
    /// pg_trgm's default word similarity (0.6) misses swapped letters: "baichaun" scores 0.56 against "Baichuan",
    /// "tencnet" 0.5 against "Tencent", while unrelated names score 0.25 or less. Only the nearest names are checked.
    /// </summary>
    public const double TypoSimilarity = 0.45;

    /// <summary>
    /// "Did you mean": a name is suggested when nothing matched if its similarity reaches this, or a word of it is at
    /// most two letters from the query.
    /// </summary>
    public const double SuggestionSimilarity = 0.3;

    /// <summary>How many names "did you mean" offers at most.</summary>
    public const int SuggestionCount = 3;

    /// <summary>
    /// "Did you mean" weighs this many nearest names of each kind: the trigram order alone put "Baichuan" before
    /// "Zhipu AI" for "zhpux", which is two letters from "zhipu".
    /// </summary>
    public const int SuggestionCandidates = 10;

    /// <summary>
    /// "Did you mean": of the nearest names (<see cref="Nearest{T}"/>) with their similarity and word distance to the
    /// query, those similar enough (<see cref="SuggestionSimilarity"/>) or with a word at most two letters away; a name
    /// one letter away first (two letters count half), then by similarity; each name once.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SuggestionsAsync(IQueryable<NamedText> near, Terms t, CancellationToken ct)
    {
        var term = t.Term;
        var rows = await near
            .Select(r => new
            {
                r.Name,
                Similarity = EF.Functions.TrigramsWordSimilarity(AppDbContext.FoldAccents(term), r.SearchText),
                Distance = AppDbContext.WordDistance(AppDbContext.FoldAccents(term), r.SearchText),
            })
            .ToListAsync(ct);
        return rows.Where(r => r.Similarity >= SuggestionSimilarity || r.Distance <= 2)
            .OrderByDescending(r => r.Similarity + r.Distance switch { <= 1 => 1, 2 => 0.5, _ => 0 }).ThenBy(r => r.Name, StringComparer.OrdinalIgnoreCase)
            .Select(r => r.Name).Distinct(StringComparer.OrdinalIgnoreCase).Take(SuggestionCount).ToList();
    }

    /// <summary>A record's display name and its search text: what "did you mean" weighs, whatever the kind.</summary>
    public sealed class NamedText
    {
        public string Name { get; init; } = "";
        public string SearchText { get; init; } = "";
    }

    /// <summary>Typos are looked for among this many nearest names.</summary>
    private const int NearestCount = 50;

    /// <summary>
    /// Companies', people's and models' search text also holds the "loose" form (no hyphens, dots or slashes:
    /// "01ai" finds "01.AI"); investors' does not.
    /// </summary>
    private static string CompactPattern<T>(Terms t) => typeof(T) == typeof(Investor) ? t.CompactLike : t.LooseCompactLike;

    /// <summary>
    /// Sources match a substring of their title, publishers, URL or key (the stored <c>search_text</c>, not folded for
    /// accents), as the /sources list does; no fuzzy match: long titles share trigrams with almost any query.
    /// </summary>
    public static IQueryable<Source> Matching(this IQueryable<Source> query, Terms? t) => t is null ? query
        : query.Where(s => EF.Functions.ILike(s.SearchText, t.Like, Escape));

    public static string EscapeLike(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}

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

    /// <summary>
    /// pg_trgm's default word similarity (0.6) misses swapped letters in short names: "tencnet" scores 0.5 against
    /// "tencent" while unrelated investor names score 0.25 or less. Investor names are short and their table is
    /// small, so investors also match from this lower similarity (computed per row, not through the index).
    /// </summary>
    public const double ShortNameTypoSimilarity = 0.45;

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
    /// (<see cref="Resembling{T}"/>). Typo similarity is computed row by row (about 20 µs each), so it must not run
    /// over a whole large table when the name was typed right. The "is there none" test is uncorrelated: PostgreSQL
    /// runs it once and skips the typo scan when it is false.
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
    /// A typo: trigram word similarity of at least pg_trgm's threshold (0.6), for investors also the lower
    /// <see cref="ShortNameTypoSimilarity"/>; nothing below three letters.
    /// </summary>
    public static IQueryable<T> Resembling<T>(this IQueryable<T> query, Terms t) where T : class, ISearchable =>
        !t.Fuzzy ? query.Where(x => false)
        : typeof(T) == typeof(Investor)
            ? query.Where(x => query.OrderBy(n => EF.Functions.TrigramsWordSimilarityDistanceInverted(n.SearchText, AppDbContext.FoldAccents(t.Term)))
                                   .Take(NearestInvestors)
                                   .Where(n => EF.Functions.TrigramsWordSimilarity(AppDbContext.FoldAccents(t.Term), n.SearchText) >= ShortNameTypoSimilarity)
                                   .Select(n => n.Id).Contains(x.Id))
            : query.Where(x => EF.Functions.TrigramsAreWordSimilar(AppDbContext.FoldAccents(t.Term), x.SearchText));

    /// <summary>
    /// Investor typos are the nearest this many names (the GiST index's KNN order) with a similarity of at least
    /// <see cref="ShortNameTypoSimilarity"/>, not the similarity of every investor computed row by row.
    /// </summary>
    private const int NearestInvestors = 50;

    /// <summary>People's and models' search text also holds the "loose" form (no hyphens, dots or slashes).</summary>
    private static string CompactPattern<T>(Terms t) =>
        typeof(T) == typeof(Person) || typeof(T) == typeof(ModelRelease) ? t.LooseCompactLike : t.CompactLike;

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

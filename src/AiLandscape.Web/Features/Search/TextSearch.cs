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

    public sealed record Terms(string Term, string Like, string CompactLike);

    /// <summary>The query as compared: trimmed, lower case, spaces collapsed, LIKE-escaped; null when empty.</summary>
    public static Terms? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var term = string.Join(' ', text.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        term = term.Length > 200 ? term[..200] : term;
        return new Terms(term, "%" + EscapeLike(term) + "%", "%" + EscapeLike(term.Replace(" ", "", StringComparison.Ordinal)) + "%");
    }

    public static IQueryable<Company> Matching(this IQueryable<Company> query, Terms? t) => t is null ? query
        : query.Where(c => EF.Functions.Like(c.SearchText, EF.Functions.Unaccent(t.Like), Escape)
                           || EF.Functions.Like(c.SearchText, EF.Functions.Unaccent(t.CompactLike), Escape)
                           || EF.Functions.TrigramsAreWordSimilar(EF.Functions.Unaccent(t.Term), c.SearchText));

    public static IQueryable<Investor> Matching(this IQueryable<Investor> query, Terms? t) => t is null ? query
        : query.Where(i => EF.Functions.Like(i.SearchText, EF.Functions.Unaccent(t.Like), Escape)
                           || EF.Functions.Like(i.SearchText, EF.Functions.Unaccent(t.CompactLike), Escape)
                           || EF.Functions.TrigramsAreWordSimilar(EF.Functions.Unaccent(t.Term), i.SearchText)
                           || EF.Functions.TrigramsWordSimilarity(EF.Functions.Unaccent(t.Term), i.SearchText) >= ShortNameTypoSimilarity);

    public static string EscapeLike(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
            .Replace("_", "\\_", StringComparison.Ordinal);
}

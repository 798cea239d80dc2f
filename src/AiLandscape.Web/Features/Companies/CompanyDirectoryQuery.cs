using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Search;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Companies;

/// <summary>The /companies directory's filters and orders, as SQL (<see cref="CompanyService.SearchAsync"/> runs them).</summary>
internal static class CompanyDirectoryQuery
{
    /// <summary>The facet and range filters of the query; the text search is applied apart (names first, then typos).</summary>
    public static IQueryable<Company> Filter(IQueryable<Company> query, CompanyQuery q)
    {
        if (!string.IsNullOrWhiteSpace(q.Sector))
        {
            query = query.Where(c => c.Sectors.Contains(q.Sector));
        }
        if (!string.IsNullOrWhiteSpace(q.Group))
        {
            query = query.Where(c => c.Groups.Contains(q.Group));
        }
        if (!string.IsNullOrWhiteSpace(q.City))
        {
            query = query.Where(c => c.HeadquartersCity == q.City);
        }
        if (q.Status is { } status)
        {
            query = query.Where(c => c.Status == status);
        }
        if (q.FoundedFrom is { } from)
        {
            var fromDate = new DateOnly(from, 1, 1);
            query = query.Where(c => c.FoundedOn >= fromDate);
        }
        if (q.FoundedTo is { } to)
        {
            var toDate = new DateOnly(to, 12, 31);
            query = query.Where(c => c.FoundedOn <= toDate);
        }
        if (q.RaisedMinMillions is { } min)
        {
            var minUsd = min * 1_000_000m;
            query = query.Where(c => c.Figures.TotalRaisedUsd >= minUsd);
        }
        if (q.RaisedMaxMillions is { } max)
        {
            var maxUsd = max * 1_000_000m;
            query = query.Where(c => c.Figures.TotalRaisedUsd <= maxUsd);
        }
        return query;
    }

    /// <summary>The page order: relevance when searching (typo similarity when only typos matched), else the chosen column.</summary>
    public static IOrderedQueryable<Company> Sort(IQueryable<Company> query, CompanyQuery q, TextSearch.Terms? terms, bool typos)
    {
        return (q.Sort, q.Descending) switch
        {
            (CompanySort.Relevance, _) when terms is not null && typos => query
                .OrderByDescending(c => EF.Functions.TrigramsWordSimilarity(AppDbContext.FoldAccents(terms.Term), c.SearchText))
                .ThenBy(c => c.NameEn).ThenBy(c => c.Id),
            // One score, exact name 2 and a name starting with the query 1: cheap to compute for every match.
            (CompanySort.Relevance, _) when terms is not null => query
                .OrderByDescending(c => (EF.Functions.Unaccent(c.NameEn.ToLower()) == AppDbContext.FoldAccents(terms.Term) || c.NameZh == terms.Term
                                         || (c.Pinyin != null && EF.Functions.Unaccent(c.Pinyin.ToLower()) == AppDbContext.FoldAccents(terms.Term)) ? 2 : 0)
                                        + (EF.Functions.Like(c.SearchText, AppDbContext.FoldAccents(terms.StartLike), "\\") ? 1 : 0))
                .ThenBy(c => c.NameEn).ThenBy(c => c.Id),
            // Each order below, tie-breaker included, has an index of the same shape (migration ListSortIndexes,
            // ADR 0023): a page is read from it rather than by sorting every company. Name and city reverse their
            // tie-breaker with the direction, so one index read backwards serves both.
            (CompanySort.Founded, false) => query.OrderBy(c => c.FoundedOn == null).ThenBy(c => c.FoundedOn).ThenBy(c => c.Id),
            (CompanySort.Founded, true) => query.OrderBy(c => c.FoundedOn == null).ThenByDescending(c => c.FoundedOn).ThenBy(c => c.Id),
            (CompanySort.City, false) => query.OrderBy(c => c.HeadquartersCity).ThenBy(c => c.Id),
            (CompanySort.City, true) => query.OrderByDescending(c => c.HeadquartersCity).ThenByDescending(c => c.Id),
            (CompanySort.TotalRaised, false) => query.OrderBy(c => c.Figures.TotalRaisedUsd == null).ThenBy(c => c.Figures.TotalRaisedUsd).ThenBy(c => c.Id),
            (CompanySort.TotalRaised, true) => query.OrderBy(c => c.Figures.TotalRaisedUsd == null).ThenByDescending(c => c.Figures.TotalRaisedUsd).ThenBy(c => c.Id),
            (CompanySort.LatestValuation, false) => query.OrderBy(c => c.Figures.LatestValuationUsd == null).ThenBy(c => c.Figures.LatestValuationUsd).ThenBy(c => c.Id),
            (CompanySort.LatestValuation, true) => query.OrderBy(c => c.Figures.LatestValuationUsd == null).ThenByDescending(c => c.Figures.LatestValuationUsd).ThenBy(c => c.Id),
            (CompanySort.LastRound, false) => query.OrderBy(c => c.Figures.LastRoundOn == null).ThenBy(c => c.Figures.LastRoundOn).ThenBy(c => c.Id),
            (CompanySort.LastRound, true) => query.OrderBy(c => c.Figures.LastRoundOn == null).ThenByDescending(c => c.Figures.LastRoundOn).ThenBy(c => c.Id),
            (_, true) => query.OrderByDescending(c => c.NameEn).ThenByDescending(c => c.Id),
            _ => query.OrderBy(c => c.NameEn).ThenBy(c => c.Id),
        };
    }
}

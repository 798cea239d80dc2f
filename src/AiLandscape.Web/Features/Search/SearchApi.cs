using AiLandscape.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiLandscape.Web.Features.Search;

/// <summary><c>/api/v1/search</c>: the app bar's search over every kind of record, from <see cref="SearchService"/>.</summary>
public static class SearchApi
{
    public static readonly ApiTag Tag = new("Search",
        "One search over companies, investors, people, models and sources (the site's search box).");

    private static readonly QueryParam[] Parameters =
    [
        new("q", "What to find: at least two characters of a name in English, Chinese or pinyin (typo- and accent-tolerant). " +
                 "A person's name also finds their companies."),
        new("limit", $"Hits per kind, 1 to {SearchService.MaxLimit} (default {SearchService.PageLimit}).", QueryType.Integer)
            { Min = 1, Max = SearchService.MaxLimit },
    ];

    public static RouteGroupBuilder MapSearchApi(this RouteGroupBuilder api)
    {
        api.MapGet("/search", Search).WithTags(Tag.Name).WithName("Search").WithQuery(Parameters)
            .WithSummary("Find companies, investors, people, models and sources")
            .WithDescription("The search box of the site: hits grouped by kind (companies, investors, people, models, " +
                             "sources), best first (exact names first), each with its English and Chinese name, a line of " +
                             "context and the address of its page. A query shorter than two characters is a 400 with a hint.");
        return api;
    }

    public static async Task<Results<Ok<ApiSearchResults>, ProblemHttpResult>> Search(HttpRequest request,
        SearchService service, CancellationToken ct)
    {
        var q = new ApiQuery(request.Query);
        var results = await service.SearchAsync(q.String("q"), q.Int("limit") ?? SearchService.PageLimit, ct);
        return results.Hint is { } hint
            ? ApiProblems.BadParameter("q", $"Query parameter 'q' is too short. {hint}")
            : TypedResults.Ok(ApiSearchResults.Of(results));
    }
}

/// <summary>One hit: <c>href</c> is its page on this site, or for a source the article's own address.</summary>
public sealed record ApiSearchHit(SearchKind Kind, string NameEn, string? NameZh, string? Context, string? Href, bool IsExternal);

public sealed record ApiSearchGroup(SearchKind Kind, IReadOnlyList<ApiSearchHit> Items, bool HasMore);

/// <summary>The groups that found something; when none did, <c>suggestions</c> holds the nearest names ("did you mean").</summary>
public sealed record ApiSearchResults(string Query, IReadOnlyList<ApiSearchGroup> Groups, IReadOnlyList<string> Suggestions)
{
    public static ApiSearchResults Of(SearchResults r) => new(r.Query, r.Groups.Select(g => new ApiSearchGroup(g.Kind,
        g.Hits.Select(h => new ApiSearchHit(h.Kind, h.NameEn, h.NameZh, h.Context, h.Href, h.IsExternal)).ToList(),
        g.HasMore)).ToList(), r.Suggestions);
}

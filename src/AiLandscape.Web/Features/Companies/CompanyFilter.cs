using AiLandscape.Web.Features.Api;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiLandscape.Web.Features.Companies;

/// <summary>The <c>companies</c> parameter of the lists of company records (valuations, events, models).</summary>
public static class CompanyFilter
{
    public static readonly QueryParam Parameter = new("companies",
        "Only records of these companies, by slug (e.g. moonshot-ai,minimax). All companies when left out.")
    { IsList = true, Pattern = "[a-z0-9][a-z0-9-]{0,99}" };

    /// <summary>The slugs asked for, or a 400 naming the parameter when one is no company's.</summary>
    public static async Task<(IReadOnlyList<string> Slugs, ProblemHttpResult? Problem)> ReadAsync(ApiQuery q,
        CompanyService service, CancellationToken ct)
    {
        var slugs = q.List(Parameter.Name).Select(s => s.ToLowerInvariant()).Distinct().ToList();
        var unknown = await service.UnknownSlugsAsync(slugs, ct);
        return unknown.Count == 0
            ? (slugs, null)
            : (slugs, ApiProblems.BadParameter(Parameter.Name,
                $"Query parameter '{Parameter.Name}' names no company with the slug {string.Join(", ", unknown.Select(s => $"'{s}'"))}."));
    }
}

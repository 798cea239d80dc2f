using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Companies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiLandscape.Web.Features.Valuations;

/// <summary><c>/api/v1/valuations</c>: valuation points of one or more companies, from <see cref="CompanyService"/>;
/// and the valuation form's write endpoints (<see cref="ValuationEditService"/>, through <see cref="WriteApi"/>).</summary>
public static class ValuationsApi
{
    public static readonly ApiTag Tag = new("Valuations", "Valuation points over time.");

    public static RouteGroupBuilder MapValuationsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/valuations", ListValuations).WithTags(Tag.Name).WithName("ListValuations")
            .WithQuery(CompanyFilter.Parameter, QueryParam.Page, QueryParam.PageSize)
            .WithSummary("List valuations")
            .WithDescription("Valuation points (post-money, IPO offer, market cap, estimates), newest first, in the " +
                             "currency reported with a USD equivalent at the rate of the valuation's month.");
        api.MapWritesById<ValuationRequest, ValuationEditService>(new("valuations", "Valuation", "valuation point"),
            async (service, id, ct) => (await service.EditAsync(id, ct))?.Request);
        return api;
    }

    public static async Task<Results<Ok<ApiPage<ApiValuation>>, ProblemHttpResult>> ListValuations(HttpRequest request,
        CompanyService service, CancellationToken ct)
    {
        var q = new ApiQuery(request.Query);
        var (slugs, problem) = await CompanyFilter.ReadAsync(q, service, ct);
        if (problem is not null)
        {
            return problem;
        }
        var result = await service.ValuationsAsync(new CompanyRecordQuery { Companies = slugs, Page = q.Page - 1, PageSize = q.PageSize }, ct);
        return TypedResults.Ok(ApiPaging.Page(request, result.Items.Select(ApiValuation.Of).ToList(), result.TotalCount,
            q.Page, q.PageSize));
    }
}

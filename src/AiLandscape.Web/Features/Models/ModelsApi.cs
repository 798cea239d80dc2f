using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Companies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiLandscape.Web.Features.Models;

/// <summary><c>/api/v1/models</c>: model releases, from <see cref="CompanyService"/>; and the model form's write endpoints
/// (<see cref="ModelEditService"/>, through <see cref="WriteApi"/>).</summary>
public static class ModelsApi
{
    public static readonly ApiTag Tag = new("Models", "Model releases.");

    public static RouteGroupBuilder MapModelsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models", ListModels).WithTags(Tag.Name).WithName("ListModels")
            .WithQuery(CompanyFilter.Parameter,
                new QueryParam("openWeights", "true: only models with published weights; false: only closed ones.", QueryType.Boolean),
                QueryParam.Page, QueryParam.PageSize)
            .WithSummary("List model releases")
            .WithDescription("Model releases with date, open weights, licence, size and modality, newest first.");
        api.MapWritesById<ModelRequest, ModelEditService>(new("models", "Model", "model release"),
            async (service, id, ct) => (await service.EditAsync(id, ct))?.Request);
        return api;
    }

    public static async Task<Results<Ok<ApiPage<ApiModel>>, ProblemHttpResult>> ListModels(HttpRequest request,
        CompanyService service, CancellationToken ct)
    {
        var q = new ApiQuery(request.Query);
        var (slugs, problem) = await CompanyFilter.ReadAsync(q, service, ct);
        if (problem is not null)
        {
            return problem;
        }
        var result = await service.ModelsAsync(new CompanyRecordQuery
        {
            Companies = slugs, OpenWeights = q.Bool("openWeights"), Page = q.Page - 1, PageSize = q.PageSize,
        }, ct);
        return TypedResults.Ok(ApiPaging.Page(request, result.Items.Select(m => ApiModel.Of(m.Model, m.Company)).ToList(),
            result.TotalCount, q.Page, q.PageSize));
    }
}

using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Companies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiLandscape.Web.Features.Events;

/// <summary><c>/api/v1/events</c>: pivots, filings, listings and other milestones, from <see cref="CompanyService"/>;
/// and the event form's write endpoints (<see cref="EventEditService"/>, through <see cref="WriteApi"/>).</summary>
public static class EventsApi
{
    public static readonly ApiTag Tag = new("Events", "Pivots, filings, listings and other milestones.");

    public static RouteGroupBuilder MapEventsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/events", ListEvents).WithTags(Tag.Name).WithName("ListEvents")
            .WithQuery(CompanyFilter.Parameter,
                QueryParam.Enum<CompanyEventKind>("kind", "Only events of these kinds.", isList: true),
                QueryParam.Page, QueryParam.PageSize)
            .WithSummary("List company events")
            .WithDescription("Pivots, strategy changes, regulatory steps, IPO filings, listings and other milestones, newest first.");
        api.MapWritesById<EventRequest, EventEditService>(new("events", "Event", "company event"),
            async (service, id, ct) => (await service.EditAsync(id, ct))?.Request);
        return api;
    }

    public static async Task<Results<Ok<ApiPage<ApiEvent>>, ProblemHttpResult>> ListEvents(HttpRequest request,
        CompanyService service, CancellationToken ct)
    {
        var q = new ApiQuery(request.Query);
        var (slugs, problem) = await CompanyFilter.ReadAsync(q, service, ct);
        if (problem is not null)
        {
            return problem;
        }
        var result = await service.EventsAsync(new CompanyRecordQuery
        {
            Companies = slugs, EventKinds = q.Enums<CompanyEventKind>("kind"), Page = q.Page - 1, PageSize = q.PageSize,
        }, ct);
        return TypedResults.Ok(ApiPaging.Page(request, result.Items.Select(e => ApiEvent.Of(e.Event, e.Company)).ToList(),
            result.TotalCount, q.Page, q.PageSize));
    }
}

using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.Editing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiLandscape.Web.Features.Sources;

/// <summary><c>/api/v1/sources</c>: the sources behind the figures, from the /sources list's query; and the source
/// form's write endpoints (<see cref="SourceEditService"/>, through <see cref="WriteApi"/>).</summary>
public static class SourcesApi
{
    public static readonly ApiTag Tag = new("Sources", "The articles, filings and announcements behind every figure.");

    public static RouteGroupBuilder MapSourcesApi(this RouteGroupBuilder api)
    {
        api.MapGet("/sources", ListSources).WithTags(Tag.Name).WithName("ListSources")
            .WithQuery(new QueryParam("q", "Text in the title, publisher, URL or citation key."), QueryParam.Page, QueryParam.PageSize)
            .WithSummary("List sources")
            .WithDescription("Articles, filings and announcements that back the data, newest first, with how many records each backs.");
        api.MapWritesById<SourceRequest, SourceEditService>(new("sources", "Source", "source with its citations"),
            (service, id, ct) => service.EditAsync(id, ct));
        return api;
    }

    // SourceEditService.ListAsync is the read query of the /sources page; it needs no role.
    public static async Task<Ok<ApiPage<ApiSource>>> ListSources(HttpRequest request, SourceEditService service,
        CancellationToken ct)
    {
        var q = new ApiQuery(request.Query);
        var result = await service.ListAsync(new SourceListQuery(q.String("q"), q.Page - 1, q.PageSize), ct);
        return TypedResults.Ok(ApiPaging.Page(request, result.Items.Select(s => new ApiSource(s.Id, s.Key, s.Title, s.Url,
                s.Publisher, ApiDate.Of(s.PublishedOn, s.PublishedPrecision), s.Kind, s.Language, s.CitationCount)).ToList(),
            result.TotalCount, q.Page, q.PageSize, result.TotalIsLowerBound));
    }
}

public sealed record ApiSource(int Id, string? Key, string? Title, string? Url, string? Publisher, ApiDate? Published,
    SourceKind Kind, string? Language, int CitationCount);

/// <summary>
/// A source backing a record: which record (<c>recordType</c> + <c>recordId</c>, the <c>id</c> of a round,
/// valuation, event... in the same answer), and, when it speaks to one field, the value that source reported.
/// <c>claim</c> is what the source says, in a sentence. <c>isUnverified</c>: the source reports the value without
/// establishing it (it cites another source that is not stored); <c>unverifiedReason</c> then says why, and the
/// value never becomes a headline figure.
/// </summary>
public sealed record ApiCitation(int SourceId, string Title, string? Url, string? Publisher, string? OriginalPublisher,
    ApiDate? Published, SourceKind Kind, RecordType? RecordType, int? RecordId, string? Field, string? ReportedValue,
    bool IsUnverified, string? Claim, string? UnverifiedReason)
{
    public static ApiCitation Of(CitationView c) => new(c.SourceId, c.Title, c.Url, c.Publisher, c.OriginalPublisher,
        ApiDate.Of(c.PublishedOn, c.PublishedPrecision), c.Kind, c.RecordType, c.RecordId, c.Field, c.ReportedValue,
        c.IsUnverified, c.Claim, c.IsUnverified ? Unverified.Reason(c) : null);
}

using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.Editing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AiLandscape.Web.Features.Rounds;

/// <summary>
/// The write API for funding rounds: the same request, rules, conflict detection and audit trail as the form, for
/// editors signed in by cookie or by a personal API token.
/// </summary>
public static class RoundWriteApi
{
    public const string Tag = "Editing";

    private static readonly QueryParam Version = new("version",
        "The round's version from GET /api/v1/rounds/{id}/edit: the delete is refused if it has changed since.")
    {
        // xmin is an unsigned 32-bit number: past int's range, so checked as digits and parsed as uint.
        Pattern = "[0-9]{1,10}",
    };

    public static RouteGroupBuilder MapRoundWriteApi(this RouteGroupBuilder api)
    {
        var rounds = api.MapGroup("/rounds").RequireAuthorization(Policies.ApiEdit).WithTags(Tag)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        rounds.MapGet("/{id:int}/edit", GetForEditAsync).WithName("GetRoundForEdit")
            .WithSummary("A round as its edit form holds it, with the version to send back when saving.");
        rounds.MapPost("/", CreateAsync).WithName("CreateRound")
            .WithSummary("Adds a funding round (with investors, new investors and sources).")
            .Produces<SavedRound>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status403Forbidden);
        rounds.MapPut("/{id:int}", UpdateAsync).WithName("UpdateRound")
            .WithSummary("Corrects a funding round; the body's version must be the current one (or overwrite: true).")
            .Produces<SavedRound>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status404NotFound);
        rounds.MapDelete("/{id:int}", DeleteAsync).WithName("DeleteRound").WithQuery(Version)
            .WithSummary("Deletes a funding round with its participations and citations (revertible in History).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public sealed record SavedRound(int Id);

    private static async Task<Results<Ok<RoundRequest>, ProblemHttpResult>> GetForEditAsync(int id, RoundEditService service, CancellationToken ct) =>
        await service.EditAsync(id, ct) is { } form
            ? TypedResults.Ok(form.Request)
            : TypedResults.Problem(detail: $"There is no funding round {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static Task<IResult> CreateAsync(RoundRequest request, RoundEditService service, CancellationToken ct) =>
        EditApi.RunAsync(async () =>
        {
            if (request.Id is not null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["Id must be empty for a new round: use PUT /api/v1/rounds/{id} to change one."] });
            }
            request.LoadedAt = DateTimeOffset.UtcNow;
            return EditApi.ToHttp(await service.SaveAsync(request, ct),
                r => TypedResults.Created($"/api/v1/rounds/{r.Id}/edit", new SavedRound(r.Id!.Value)));
        });

    private static Task<IResult> UpdateAsync(int id, RoundRequest request, RoundEditService service, CancellationToken ct) =>
        EditApi.RunAsync(async () =>
        {
            if (request.Id is { } bodyId && bodyId != id)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"Id in the body ({bodyId}) must match the address ({id})."] });
            }
            if (request.Version == 0 && !request.Overwrite)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["Version is required: send the version from GET /api/v1/rounds/{id}/edit."] });
            }
            request.Id = id;
            // "Since" for the conflict report: an API client did not load a form, so report every change since the version.
            request.LoadedAt = DateTimeOffset.MinValue;
            return EditApi.ToHttp(await service.SaveAsync(request, ct), r => TypedResults.Ok(new SavedRound(r.Id!.Value)));
        });

    private static Task<IResult> DeleteAsync(int id, HttpRequest request, RoundEditService service, CancellationToken ct) =>
        EditApi.RunAsync(async () => !uint.TryParse(new ApiQuery(request.Query).String(Version.Name), out var v)
            ? TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["version"] = ["Version is required: DELETE /api/v1/rounds/{id}?version=…"] })
            : EditApi.ToHttp(await service.DeleteAsync(id, v, ct), _ => TypedResults.NoContent()));
}

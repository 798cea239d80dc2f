using System.Globalization;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;

namespace AiLandscape.Web.Features.Editing;

/// <summary>
/// The write API's plumbing: for each record type, the same request, rules, conflict detection and audit trail as its
/// form, for editors signed in by cookie or personal API token. Four endpoints per type under /api/v1/{type}:
/// GET {id}/edit (the form with its version), POST, PUT {id}, DELETE {id}?version=. Each area maps its own type with
/// <see cref="MapWritesById{TRequest,TService}"/> or <see cref="MapWritesBySlug{TRequest,TService}"/> (ADR 0030).
/// </summary>
public static class WriteApi
{
    public static readonly ApiTag Tag = new("Editing",
        "Adding, correcting and deleting data (editors, by login cookie or personal API token; see docs/api.md).");

    public sealed record Saved(int Id, string? Slug);

    /// <summary>A record type's place in the write API: <c>/api/v1/{Resource}</c>, operation ids
    /// <c>Create{Name}</c>..., and how the summaries and errors call one ("funding round").</summary>
    public sealed record Resource(string Path, string Name, string What);

    private static readonly QueryParam Version = new("version",
        "The record's version from GET …/{id}/edit: the delete is refused if it has changed since.")
    {
        // xmin is an unsigned 32-bit number: past int's range, so checked as digits and parsed as uint.
        Pattern = "[0-9]{1,10}",
    };

    /// <summary>The four write endpoints of a record type addressed by id.</summary>
    public static RouteGroupBuilder MapWritesById<TRequest, TService>(this RouteGroupBuilder api, Resource resource,
        Func<TService, int, CancellationToken, Task<TRequest?>> load)
        where TRequest : EditRequest where TService : IEditService<TRequest> =>
        api.MapWrites<TRequest, TService>(resource, ById,
            (sp, key, ct) => load(sp.GetRequiredService<TService>(), int.Parse(key, CultureInfo.InvariantCulture), ct),
            (_, key, _) => Task.FromResult<int?>(int.Parse(key, CultureInfo.InvariantCulture)));

    /// <summary>
    /// The four write endpoints of a record type addressed by its slug, as the read API and the pages address it;
    /// <paramref name="idOf"/> finds the id of the record with a slug (null for none).
    /// </summary>
    public static RouteGroupBuilder MapWritesBySlug<TRequest, TService>(this RouteGroupBuilder api, Resource resource,
        Func<TService, string, CancellationToken, Task<TRequest?>> load,
        Func<AppDbContext, string, CancellationToken, Task<int?>> idOf)
        where TRequest : EditRequest where TService : IEditService<TRequest> =>
        api.MapWrites<TRequest, TService>(resource, BySlug,
            (sp, key, ct) => load(sp.GetRequiredService<TService>(), key, ct),
            async (sp, key, ct) =>
            {
                await using var db = await sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
                return await idOf(db, key, ct);
            });

    private const string ById = "{id:int}";
    private const string BySlug = "{slug}";

    private static RouteGroupBuilder MapWrites<TRequest, TService>(this RouteGroupBuilder api, Resource record, string key,
        Func<IServiceProvider, string, CancellationToken, Task<TRequest?>> load,
        Func<IServiceProvider, string, CancellationToken, Task<int?>> idOf)
        where TRequest : EditRequest where TService : IEditService<TRequest>
    {
        var (resource, name, what) = record;
        var keyName = key == ById ? "id" : "slug";
        string KeyOf(HttpContext http) => http.Request.RouteValues[keyName]?.ToString() ?? "";
        var group = api.MapGroup("/" + resource).RequireAuthorization(Policies.ApiEdit).WithTags(Tag.Name)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden)
            // An Idempotency-Key header makes a retried POST, PUT or DELETE answer as the first one without saving twice.
            .AddEndpointFilter(IdempotentWrite.FilterAsync);
        // The handlers read the key from the route values (one handler for ids and slugs), so the document is told.
        group.AddOpenApiOperationTransformer((operation, context, _) =>
        {
            if (context.Description.RelativePath?.Contains("{" + keyName, StringComparison.Ordinal) == true
                && operation.Parameters?.Any(p => p.Name == keyName) != true)
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = keyName,
                    In = ParameterLocation.Path,
                    Required = true,
                    Description = keyName == "id" ? $"The {what}'s id." : $"The {what}'s slug.",
                    Schema = new OpenApiSchema { Type = keyName == "id" ? JsonSchemaType.Integer : JsonSchemaType.String },
                });
            }
            return Task.CompletedTask;
        });

        Delegate getForEdit = async (HttpContext http, CancellationToken ct) =>
                await load(http.RequestServices, KeyOf(http), ct) is { } request
                    ? TypedResults.Ok(request)
                    : NotFound(what, KeyOf(http));
        // Constant route patterns (one per key kind): the route analyzer cannot read an interpolated one.
        (keyName == "id" ? group.MapGet("/{id:int}/edit", getForEdit) : group.MapGet("/{slug}/edit", getForEdit))
            .WithName($"Get{name}ForEdit")
            .WithSummary($"A {what} as its edit form holds it, with the version to send back when saving.")
            .Produces<TRequest>().ProducesProblem(StatusCodes.Status404NotFound);

        Delegate create = (TRequest request, TService service, IdempotentWrite idempotent, CancellationToken ct) => EditApi.RunAsync(async () =>
            {
                if (request.Id is not null)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["id"] = [$"Id must be empty for a new {what}: use PUT /api/v1/{resource}/{{{keyName}}} to change one."],
                    });
                }
                RequestLists.Normalise(request);
                request.LoadedAt = DateTimeOffset.UtcNow;
                ApiSaved Answer(SaveResult r) => new(StatusCodes.Status201Created,
                    $"/api/v1/{resource}/{(keyName == "id" ? r.Id : r.Slug)}/edit", r.Id!.Value, r.Slug);
                idempotent.AnswerWith(Answer);
                return EditApi.ToHttp(await service.SaveAsync(request, ct), r => Answer(r).ToResult());
            });
        group.MapPost("/", create)
            .WithName($"Create{name}")
            .WithSummary($"Adds a {what}.")
            .Produces<Saved>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict);

        Delegate update = (HttpContext http, TRequest request, TService service, IdempotentWrite idempotent, CancellationToken ct) => EditApi.RunAsync(async () =>
            {
                if (await idOf(http.RequestServices, KeyOf(http), ct) is not { } id)
                {
                    return NotFound(what, KeyOf(http));
                }
                if (request.Id is { } bodyId && bodyId != id)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = [$"Id in the body ({bodyId}) must be the id of the {what} at this address ({id})."] });
                }
                if (request.Version == 0 && !request.Overwrite)
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["version"] = [$"Version is required: send the version from GET /api/v1/{resource}/{{{keyName}}}/edit."],
                    });
                }
                request.Id = id;
                RequestLists.Normalise(request);
                // An API client loaded no form: a conflict reports the latest changes of the record.
                request.LoadedAt = DateTimeOffset.MinValue;
                ApiSaved Answer(SaveResult r) => new(StatusCodes.Status200OK, null, r.Id ?? id, r.Slug);
                idempotent.AnswerWith(Answer);
                return EditApi.ToHttp(await service.SaveAsync(request, ct), r => Answer(r).ToResult());
            });
        (keyName == "id" ? group.MapPut("/{id:int}", update) : group.MapPut("/{slug}", update))
            .WithName($"Update{name}")
            .WithSummary($"Corrects a {what}; the body's version must be the current one (or overwrite: true).")
            .Produces<Saved>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status404NotFound);

        Delegate delete = (HttpContext http, TService service, IdempotentWrite idempotent, CancellationToken ct) => EditApi.RunAsync(async () =>
            {
                if (!uint.TryParse(new ApiQuery(http.Request.Query).String(Version.Name), out var version))
                {
                    return TypedResults.ValidationProblem(new Dictionary<string, string[]>
                    {
                        ["version"] = [$"Version is required: DELETE /api/v1/{resource}/{{{keyName}}}?version=…"],
                    });
                }
                idempotent.AnswerWith(_ => new ApiSaved(StatusCodes.Status204NoContent, null, null, null));
                return await idOf(http.RequestServices, KeyOf(http), ct) is { } id
                    ? EditApi.ToHttp(await service.DeleteAsync(id, version, ct), _ => TypedResults.NoContent())
                    : NotFound(what, KeyOf(http));
            });
        (keyName == "id" ? group.MapDelete("/{id:int}", delete) : group.MapDelete("/{slug}", delete))
            .WithName($"Delete{name}")
            .WithQuery(Version)
            .WithSummary($"Deletes a {what} (recorded in History, where an editor can revert it).")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static IResult NotFound(string what, string key) =>
        TypedResults.Problem(detail: $"There is no {what} {key}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
}

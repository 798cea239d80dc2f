using System.Globalization;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.Api;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Events;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Features.Models;
using AiLandscape.Web.Features.People;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Features.Valuations;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;

namespace AiLandscape.Web.Features.Editing;

/// <summary>
/// The write API: for each record type, the same request, rules, conflict detection and audit trail as its form,
/// for editors signed in by cookie or personal API token. Four endpoints per type under /api/v1/{type}:
/// GET {id}/edit (the form with its version), POST, PUT {id}, DELETE {id}?version=.
/// </summary>
public static class WriteApi
{
    public const string Tag = "Editing";

    public sealed record Saved(int Id, string? Slug);

    private static readonly QueryParam Version = new("version",
        "The record's version from GET …/{id}/edit: the delete is refused if it has changed since.")
    {
        // xmin is an unsigned 32-bit number: past int's range, so checked as digits and parsed as uint.
        Pattern = "[0-9]{1,10}",
    };

    public static RouteGroupBuilder MapWriteApi(this RouteGroupBuilder api)
    {
        // Records with a slug are addressed by it, as the read API and the pages do; the others by id.
        api.MapWrites<CompanyRequest, CompanyEditService>("companies", "Company", "company", BySlug,
            async (sp, slug, ct) => (await sp.GetRequiredService<CompanyEditService>().EditAsync(slug, ct))?.Request);
        api.MapWrites<PersonRequest, PersonEditService>("people", "Person", "person", BySlug,
            async (sp, slug, ct) => (await sp.GetRequiredService<PersonEditService>().EditAsync(slug, ct))?.Request);
        api.MapWrites<InvestorRequest, InvestorEditService>("investors", "Investor", "investor", BySlug,
            async (sp, slug, ct) => (await sp.GetRequiredService<InvestorEditService>().EditAsync(slug, ct))?.Request);
        api.MapWrites<RoundRequest, RoundEditService>("rounds", "Round", "funding round", ById,
            async (sp, key, ct) => (await sp.GetRequiredService<RoundEditService>().EditAsync(int.Parse(key, CultureInfo.InvariantCulture), ct))?.Request);
        api.MapWrites<ValuationRequest, ValuationEditService>("valuations", "Valuation", "valuation point", ById,
            async (sp, key, ct) => (await sp.GetRequiredService<ValuationEditService>().EditAsync(int.Parse(key, CultureInfo.InvariantCulture), ct))?.Request);
        api.MapWrites<EventRequest, EventEditService>("events", "Event", "company event", ById,
            async (sp, key, ct) => (await sp.GetRequiredService<EventEditService>().EditAsync(int.Parse(key, CultureInfo.InvariantCulture), ct))?.Request);
        api.MapWrites<ModelRequest, ModelEditService>("models", "Model", "model release", ById,
            async (sp, key, ct) => (await sp.GetRequiredService<ModelEditService>().EditAsync(int.Parse(key, CultureInfo.InvariantCulture), ct))?.Request);
        api.MapWrites<SourceRequest, SourceEditService>("sources", "Source", "source with its citations", ById,
            (sp, key, ct) => sp.GetRequiredService<SourceEditService>().EditAsync(int.Parse(key, CultureInfo.InvariantCulture), ct));
        api.MapWrites<ExchangeRateRequest, ExchangeRateEditService>("exchange-rates", "ExchangeRate", "exchange rate", ById,
            (sp, key, ct) => sp.GetRequiredService<ExchangeRateEditService>().EditAsync(int.Parse(key, CultureInfo.InvariantCulture), ct));
        return api;
    }

    private const string ById = "{id:int}";
    private const string BySlug = "{slug}";

    private static RouteGroupBuilder MapWrites<TRequest, TService>(this RouteGroupBuilder api, string resource, string name, string what,
        string key, Func<IServiceProvider, string, CancellationToken, Task<TRequest?>> load)
        where TRequest : EditRequest where TService : IEditService<TRequest>
    {
        var keyName = key == ById ? "id" : "slug";
        string KeyOf(HttpContext http) => http.Request.RouteValues[keyName]?.ToString() ?? "";
        var group = api.MapGroup("/" + resource).RequireAuthorization(Policies.ApiEdit).WithTags(Tag)
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
                if (await IdOfAsync(http, keyName, resource, ct) is not { } id)
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
                return await IdOfAsync(http, keyName, resource, ct) is { } id
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

    /// <summary>The id of the record at the address: the number itself, or the record with that slug.</summary>
    private static async Task<int?> IdOfAsync(HttpContext http, string keyName, string resource, CancellationToken ct)
    {
        var key = http.Request.RouteValues[keyName]?.ToString() ?? "";
        if (keyName == "id")
        {
            return int.Parse(key, CultureInfo.InvariantCulture);
        }
        await using var db = await http.RequestServices.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync(ct);
        return resource switch
        {
            "companies" => await db.Companies.Where(x => x.Slug == key).Select(x => (int?)x.Id).FirstOrDefaultAsync(ct),
            "investors" => await db.Investors.Where(x => x.Slug == key).Select(x => (int?)x.Id).FirstOrDefaultAsync(ct),
            _ => await db.People.Where(x => x.Slug == key).Select(x => (int?)x.Id).FirstOrDefaultAsync(ct),
        };
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Primitives;
using Microsoft.OpenApi;

namespace AiLandscape.Web.Features.Api;

public enum QueryType { String, Integer, Number, Boolean, Date }

/// <summary>
/// One query parameter an API endpoint accepts: its name, what a valid value looks like and how the OpenAPI document
/// describes it. One declaration drives the check (<see cref="QueryStringFilter"/>), the reading
/// (<see cref="ApiQuery"/>) and the documentation (<see cref="QueryParameterTransformer"/>), so they cannot drift.
/// </summary>
public sealed record QueryParam(string Name, string Description, QueryType Type = QueryType.String)
{
    /// <summary>The values allowed (compared ignoring case); null for any value of the type.</summary>
    public IReadOnlyList<string>? Values { get; init; }
    /// <summary>Several values, repeated (<c>stage=SeriesA&amp;stage=SeriesB</c>) or comma-separated.</summary>
    public bool IsList { get; init; }
    public int? Min { get; init; }
    public int? Max { get; init; }
    /// <summary>A regular expression each (string) value must match whole.</summary>
    public string? Pattern { get; init; }

    public static readonly QueryParam Page = new("page", "Page number, from 1.", QueryType.Integer) { Min = 1 };
    public static readonly QueryParam PageSize = new("pageSize",
        $"Items per page, 1 to {ApiPaging.MaxPageSize} (default {ApiPaging.DefaultPageSize}).", QueryType.Integer)
    { Min = 1, Max = ApiPaging.MaxPageSize };

    public static QueryParam Enum<T>(string name, string description, bool isList = false) where T : struct, Enum =>
        new(name, description) { Values = System.Enum.GetNames<T>(), IsList = isList };

    /// <summary>Null when the value is valid, else what was expected ("an integer from 1 to 100").</summary>
    public string? Check(string value)
    {
        value = value.Trim();
        var valid = Type switch
        {
            QueryType.Integer => int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i)
                                 && (Min is null || i >= Min) && (Max is null || i <= Max),
            QueryType.Number => decimal.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
                                && (Min is null || d >= Min) && (Max is null || d <= Max),
            QueryType.Boolean => bool.TryParse(value, out _),
            QueryType.Date => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            // An empty text (a cleared search box, "?q=") means no filter, as on the pages.
            _ => value.Length <= 200,
        };
        if (valid && Pattern is not null)
        {
            valid = System.Text.RegularExpressions.Regex.IsMatch(value, "^(?:" + Pattern + ")$");
        }
        if (valid && Values is not null)
        {
            valid = Values.Contains(value, StringComparer.OrdinalIgnoreCase);
        }
        return valid ? null : Expected;
    }

    public string Expected => Values is not null
        ? "one of " + string.Join(", ", Values)
        : Pattern is not null ? $"a value matching {Pattern}"
        : Type switch
        {
            QueryType.Integer => "an integer" + Range,
            QueryType.Number => "a number" + Range,
            QueryType.Boolean => "true or false",
            QueryType.Date => "a date as yyyy-MM-dd",
            _ => "a text of at most 200 characters",
        };

    private string Range => (Min, Max) switch
    {
        ({ } min, { } max) => $" from {min} to {max}",
        ({ } min, null) => $" of at least {min}",
        (null, { } max) => $" of at most {max}",
        _ => "",
    };
}

/// <summary>The query parameters an endpoint accepts (endpoint metadata; none declared means none accepted).</summary>
public sealed record QuerySpec(IReadOnlyList<QueryParam> Parameters);

public static class QueryParameterExtensions
{
    /// <summary>Declares the query parameters of an endpoint of the API group: anything else is answered with 400.</summary>
    public static RouteHandlerBuilder WithQuery(this RouteHandlerBuilder builder, params QueryParam[] parameters) =>
        builder.WithMetadata(new QuerySpec(parameters));
}

/// <summary>
/// Answers 400 ProblemDetails naming the parameter when a request carries a query parameter its endpoint does not
/// declare (a typo would otherwise be silently ignored and return unfiltered data), a single-valued one twice, or a
/// malformed value. Applied to the whole API group, so endpoints added later are checked the same way.
/// </summary>
public sealed class QueryStringFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var spec = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<QuerySpec>();
        var problem = Check(context.HttpContext.Request.Query, spec?.Parameters ?? []);
        return problem is null ? next(context) : ValueTask.FromResult<object?>(problem);
    }

    public static IResult? Check(IQueryCollection query, IReadOnlyList<QueryParam> allowed)
    {
        foreach (var (name, values) in query)
        {
            var param = allowed.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            if (param is null)
            {
                return ApiProblems.BadParameter(name, allowed.Count == 0
                    ? $"Unknown query parameter '{name}': this endpoint takes none."
                    : $"Unknown query parameter '{name}'. This endpoint accepts: {string.Join(", ", allowed.Select(p => p.Name))}.");
            }
            if (!param.IsList && values.Count > 1)
            {
                return ApiProblems.BadParameter(param.Name, $"Query parameter '{param.Name}' is given more than once.");
            }
            foreach (var value in ApiQuery.Split(values, param.IsList))
            {
                if (param.Check(value) is { } expected)
                {
                    return ApiProblems.BadParameter(param.Name,
                        $"Query parameter '{param.Name}' must be {expected}; '{Shorten(value)}' is not.");
                }
            }
        }
        return null;
    }

    private static string Shorten(string value) => value.Length <= 50 ? value : value[..50] + "…";
}

/// <summary>Typed access to query values that <see cref="QueryStringFilter"/> has already checked.</summary>
public readonly struct ApiQuery(IQueryCollection query)
{
    public string? String(string name) =>
        query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;

    public int? Int(string name) => String(name) is { } s ? int.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : null;

    public decimal? Decimal(string name) =>
        String(name) is { } s ? decimal.Parse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : null;

    public bool? Bool(string name) => String(name) is { } s ? bool.Parse(s) : null;

    public DateOnly? Date(string name) =>
        String(name) is { } s ? DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    public IReadOnlyList<string> List(string name) =>
        query.TryGetValue(name, out var v) ? Split(v, isList: true).Distinct(StringComparer.OrdinalIgnoreCase).ToList() : [];

    public IReadOnlyList<T> Enums<T>(string name) where T : struct, Enum =>
        List(name).Select(s => System.Enum.Parse<T>(s, ignoreCase: true)).Distinct().ToList();

    public T? Enum<T>(string name) where T : struct, Enum =>
        String(name) is { } s ? System.Enum.Parse<T>(s, ignoreCase: true) : null;

    public int Page => Int(QueryParam.Page.Name) ?? 1;

    public int PageSize => Int(QueryParam.PageSize.Name) ?? ApiPaging.DefaultPageSize;

    internal static IEnumerable<string> Split(StringValues values, bool isList) => isList
        ? values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        : values.Select(v => v ?? "");
}

/// <summary>Writes each endpoint's <see cref="QuerySpec"/> into the OpenAPI document as query parameters.</summary>
internal sealed class QueryParameterTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var spec = context.Description.ActionDescriptor.EndpointMetadata.OfType<QuerySpec>().LastOrDefault();
        if (spec is null || spec.Parameters.Count == 0)
        {
            return Task.CompletedTask;
        }
        operation.Parameters ??= [];
        foreach (var p in spec.Parameters)
        {
            var schema = SchemaOf(p);
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = p.Name,
                In = ParameterLocation.Query,
                Required = false,
                Description = p.IsList ? p.Description + " Repeat the parameter or separate values with commas." : p.Description,
                Schema = p.IsList ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = schema } : schema,
                Explode = p.IsList,
            });
        }
        return Task.CompletedTask;
    }

    private static OpenApiSchema SchemaOf(QueryParam p)
    {
        var schema = new OpenApiSchema
        {
            Type = p.Type switch
            {
                QueryType.Integer => JsonSchemaType.Integer,
                QueryType.Number => JsonSchemaType.Number,
                QueryType.Boolean => JsonSchemaType.Boolean,
                _ => JsonSchemaType.String,
            },
            Format = p.Type switch
            {
                QueryType.Integer => "int32",
                QueryType.Date => "date",
                _ => null,
            },
            Pattern = p.Pattern is null ? null : "^(?:" + p.Pattern + ")$",
            Minimum = p.Min?.ToString(CultureInfo.InvariantCulture),
            Maximum = p.Max?.ToString(CultureInfo.InvariantCulture),
        };
        if (p.Values is not null)
        {
            schema.Enum = p.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        }
        return schema;
    }
}

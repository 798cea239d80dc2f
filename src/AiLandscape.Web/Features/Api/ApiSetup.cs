using System.Globalization;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Events;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Investors;
using AiLandscape.Web.Features.Models;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Sources;
using AiLandscape.Web.Features.Valuations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace AiLandscape.Web.Features.Api;

/// <summary>
/// The public HTTP API: JSON settings, problem details, the OpenAPI document and its reference page, and the rate
/// limit, in two calls from Program.cs. <see cref="MapApi"/> returns the <c>/api/v1</c> group so that further areas
/// (write endpoints, tokens) map onto the same group and get the same checks, limit and documentation.
/// </summary>
public static class ApiSetup
{
    public const string BasePath = "/api/v1";
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string DocsPath = "/api/docs";
    /// <summary>The rate-limiter policy of the API group (see <see cref="RateLimitOptions"/>).</summary>
    public const string RateLimitPolicy = "api";

    public static WebApplicationBuilder AddApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // Enums travel as their names ("SeriesA", "Undisclosed"), in the document too.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path);

        services.AddOpenApi(DocumentName, o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith(BasePath.TrimStart('/') + "/", StringComparison.Ordinal) == true;
            o.AddOperationTransformer<QueryParameterTransformer>();
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "AiLandscape API",
                    Version = DocumentName,
                    Description = "Read access to AI companies, their funding rounds, investors, valuations, events, model " +
                                  "releases, sources and exchange rates. Amounts are in the currency reported, with a USD " +
                                  "equivalent at a dated rate; undisclosed amounts are null, never 0. Errors are RFC 9457 " +
                                  "problem details.",
                    License = new OpenApiLicense { Name = "Data: see each record's sources", Url = new Uri("https://github.com/") },
                };
                return Task.CompletedTask;
            });
        });

        var limits = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(RateLimitPolicy, context => RateLimitPartition.GetFixedWindowLimiter(ClientKey(context),
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PermitLimit,
                    Window = TimeSpan.FromSeconds(limits.WindowSeconds),
                    QueueLimit = 0,
                }));
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? (int)Math.Ceiling(wait.TotalSeconds)
                    : limits.WindowSeconds;
                http.Response.Headers.RetryAfter = Math.Max(1, retryAfter).ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"At most {limits.PermitLimit} requests per {limits.WindowSeconds} seconds; retry after {retryAfter} seconds.",
                    },
                });
            };
        });
        return builder;
    }

    /// <summary>
    /// The OpenAPI document, its reference page and the <c>/api/v1</c> group with every area's endpoints. Call after
    /// UseAuthentication/UseAuthorization: it adds the rate limiter to the pipeline here, so that it partitions by the
    /// signed-in user.
    /// </summary>
    public static RouteGroupBuilder MapApi(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapOpenApi(DocumentPath);
        // The reference page loads its script from the app itself (embedded in Scalar.AspNetCore), not from a CDN.
        app.MapScalarApiReference(DocsPath, o => o
            .WithTitle("AiLandscape API")
            .WithOpenApiRoutePattern(DocumentPath)
            .AddDocument(DocumentName));

        var api = app.MapGroup(BasePath)
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter<QueryStringFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapCompaniesApi();
        api.MapInvestorsApi();
        api.MapRoundsApi();
        api.MapValuationsApi();
        api.MapEventsApi();
        api.MapModelsApi();
        api.MapSourcesApi();
        api.MapExchangeRatesApi();

        // Unknown addresses under the API answer problem details too, not the HTML not-found page.
        api.Map("{**path}", UnknownPath).ExcludeFromDescription();
        return api;
    }

    private static ProblemHttpResult UnknownPath(HttpRequest request) =>
        TypedResults.Problem(detail: $"There is no API endpoint at {request.Path}.", statusCode: StatusCodes.Status404NotFound,
            title: "Not found");

    /// <summary>Signed-in users are limited per user name, everyone else per remote address.</summary>
    private static string ClientKey(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? "user:" + name
            : "ip:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
}

/// <summary>Settings of the API rate limit, section <c>RateLimiting</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";
    /// <summary>Requests per client and window.</summary>
    public int PermitLimit { get; set; } = 120;
    public int WindowSeconds { get; set; } = 60;
}

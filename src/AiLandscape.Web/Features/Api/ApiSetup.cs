using System.Globalization;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using AiLandscape.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace AiLandscape.Web.Features.Api;

/// <summary>
/// The public HTTP API: JSON settings, problem details, the OpenAPI document and its reference page, and the rate
/// limit, in two calls from Program.cs. It names no area: <see cref="MapApi"/> returns the <c>/api/v1</c> group, and
/// each area maps its read and write endpoints onto it (<c>api.MapRoundsApi()</c>) and so gets the same checks, limit
/// and documentation; each area adds its tag with <see cref="AddApiTag"/>. ADR 0030.
/// </summary>
public static class ApiSetup
{
    public const string BasePath = "/api/v1";
    public const string DocumentName = "v1";
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string DocsPath = "/api/docs";
    /// <summary>The rate-limiter policy of the API group (see <see cref="RateLimitOptions"/>).</summary>
    public const string RateLimitPolicy = "api";

    private const string CookieScheme = "cookie";

    /// <summary>
    /// A section of the API reference: an area's endpoints use <c>WithTags(tag.Name)</c>. The reference lists the sections
    /// in the order they were added (the order of the areas in Program.cs).
    /// </summary>
    public static IServiceCollection AddApiTag(this IServiceCollection services, ApiTag tag) =>
        services.Configure<ApiTags>(tags => tags.Add(tag));

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
            o.AddDocumentTransformer((document, context, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "AiLandscape API",
                    Version = DocumentName,
                    Description = "Read access to AI companies, their funding rounds, investors, valuations, events, model " +
                                  "releases, sources and exchange rates. Amounts are in the currency reported, with a USD " +
                                  "equivalent at a dated rate; undisclosed amounts are null, never 0. Errors are RFC 9457 " +
                                  "problem details.",
                };
                // Relative to wherever the document was fetched from, so it is right behind any proxy or path base.
                document.Servers = [new OpenApiServer { Url = "/", Description = "This app" }];
                var tags = context.ApplicationServices.GetRequiredService<IOptions<ApiTags>>().Value;
                document.Tags = new HashSet<OpenApiTag>(tags.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
                // Reading is anonymous unless Access:RequireLoginToRead is on; then the sign-in cookie is needed.
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [CookieScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.ApiKey,
                        In = ParameterLocation.Cookie,
                        Name = "AiLandscape.Auth",
                        Description = "The sign-in cookie set by /account/login. Needed only when the site requires a login to read.",
                    },
                };
                document.Security =
                [
                    new OpenApiSecurityRequirement(),
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(CookieScheme, document)] = [] },
                ];
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
    /// The OpenAPI document, its reference page and the <c>/api/v1</c> group, for the areas to map onto. Call after
    /// UseAuthentication/UseAuthorization: it adds the rate limiter to the pipeline here, so that it partitions by the
    /// signed-in user.
    /// </summary>
    public static RouteGroupBuilder MapApi(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapOpenApi(DocumentPath);
        // The reference page loads its script from the app itself (embedded in Scalar.AspNetCore), not from a CDN;
        // its fonts, telemetry and "open in client" button would reach scalar.com, so they are off.
        // Scalar's page template has no lang on <html> (axe: html-has-lang) and no option for it: a line in its head
        // sets it before anything renders (this page's own CSP allows inline scripts, see SecurityHeaders).
        app.MapScalarApiReference(DocsPath, o => o
            .WithTitle("AiLandscape API")
            .AddHeadContent("<script>document.documentElement.lang = 'en';</script>")
            // The default light theme's faintest text (search placeholder, footnotes: #8e8e8e) and its code colours
            // (green #069061 for literals, orange, yellow) are under the 4.5:1 contrast axe (WCAG AA) asks on white
            // and light grey: darker shades of the same colours.
            .WithCustomCss(".light-mode, .light-mode .scalar-app { --scalar-color-3: #5e5e5e; --scalar-color-green: #046b47; "
                           + "--scalar-color-orange: #a63a00; --scalar-color-yellow: #7a5f00; --scalar-color-red: #c00005; "
                           + "--scalar-color-blue: #005b96; --scalar-color-query: #00666a; } "
                           + ".dark-mode, .dark-mode .scalar-app { --scalar-color-3: #b0b0b0; }")
            .WithOpenApiRoutePattern(DocumentPath)
            .AddDocument(DocumentName)
            .DisableDefaultFonts()
            .DisableTelemetry()
            .HideClientButton());

        var api = app.MapGroup(BasePath)
            .RequireRateLimiting(RateLimitPolicy)
            .AddEndpointFilter<QueryStringFilter>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        if (app.Services.GetRequiredService<IOptions<AccessOptions>>().Value.RequireLoginToRead)
        {
            // Scripts read with the token they write with; the fallback policy would look at the cookie only.
            api.RequireAuthorization(Policies.ApiRead);
        }

        // Unknown addresses under the API answer problem details too, not the HTML not-found page.
        api.Map("{**path}", UnknownPath).ExcludeFromDescription();
        return api;
    }

    private static ProblemHttpResult UnknownPath(HttpRequest request) =>
        TypedResults.Problem(detail: $"There is no API endpoint at {request.Path}.", statusCode: StatusCodes.Status404NotFound,
            title: "Not found");

    /// <summary>Signed-in users are limited per user name, everyone else per remote address (IPv6 by its /64).</summary>
    internal static string ClientKey(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? "user:" + name
            : "ip:" + LoginThrottle.ClientKey(context.Connection.RemoteIpAddress);
}

/// <summary>A section of the API reference: the tag an area's endpoints carry, and what the section is about.</summary>
public sealed record ApiTag(string Name, string Description);

/// <summary>The API's tags, in the order the areas added them (<see cref="ApiSetup.AddApiTag"/>).</summary>
public sealed class ApiTags : List<ApiTag>;

/// <summary>Settings of the API rate limit, section <c>RateLimiting</c>.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimiting";
    /// <summary>Requests per client and window.</summary>
    public int PermitLimit { get; set; } = 120;
    public int WindowSeconds { get; set; } = 60;
    /// <summary>
    /// Before authentication, API requests with a token share <c>PermitLimit × this</c> per client address (bad
    /// tokens included; several scripts behind one address each keep their own limit after authentication).
    /// </summary>
    public int TokenCallersPerAddress { get; set; } = 4;
}

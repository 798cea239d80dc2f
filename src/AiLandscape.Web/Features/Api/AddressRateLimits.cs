using System.Globalization;
using System.Threading.RateLimiting;
using AiLandscape.Web.Features.Accounts;

namespace AiLandscape.Web.Features.Api;

/// <summary>
/// Limits by client address (IPv6 by its /64) that run before authentication (issue 14, ADR 0015):
/// <list type="bullet">
/// <item>API requests that carry a token share <c>PermitLimit × TokenCallersPerAddress</c> per window, so a stream of
/// bad tokens is limited too (the API's own limit partitions by user and runs after authentication, which answers
/// a bad token with 401 first);</item>
/// <item>page requests as of a day (<c>?asOf=</c>) get <c>PermitLimit</c> per window, like the API and the exports.</item>
/// </list>
/// Counted per instance, like the API's limit (see README, Scaling out).
/// </summary>
public static class AddressRateLimits
{
    private const string TokenKind = "token";
    private const string AsOfKind = "as-of";

    /// <summary>Place after the forwarded headers (the client's address) and before UseAuthentication.</summary>
    public static WebApplication UseAddressRateLimits(this WebApplication app)
    {
        var limits = app.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var window = TimeSpan.FromSeconds(limits.WindowSeconds);
        var limiter = PartitionedRateLimiter.Create<(string Kind, string Client), (string, string)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
            {
                PermitLimit = k.Item1 == TokenKind ? limits.PermitLimit * Math.Max(1, limits.TokenCallersPerAddress) : limits.PermitLimit,
                Window = window,
                QueueLimit = 0,
            }));
        app.Lifetime.ApplicationStopped.Register(limiter.Dispose);
        app.Use(async (context, next) =>
        {
            var kind = KindOf(context.Request);
            if (kind is null)
            {
                await next(context);
                return;
            }
            using var lease = limiter.AttemptAcquire((kind, LoginThrottle.ClientKey(context.Connection.RemoteIpAddress)));
            if (lease.IsAcquired)
            {
                await next(context);
                return;
            }
            var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                : limits.WindowSeconds;
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            var detail = $"At most {(kind == TokenKind ? limits.PermitLimit * Math.Max(1, limits.TokenCallersPerAddress) : limits.PermitLimit)} "
                + $"{(kind == TokenKind ? "API requests with a token" : "views as of a day")} per {limits.WindowSeconds} seconds "
                + $"from one address; retry after {retryAfter} seconds.";
            var written = await context.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = detail },
            });
            if (!written)
            {
                // A browser asking for a page: a line of text, not the not-found page the status pages would show.
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("Too many requests. " + detail, context.RequestAborted);
            }
        });
        return app;
    }

    private static string? KindOf(HttpRequest request)
    {
        if (request.Path.StartsWithSegments(ApiSetup.BasePath) && request.Headers.Authorization.Count > 0)
        {
            return TokenKind;
        }
        return HttpMethods.IsGet(request.Method) && request.Query.ContainsKey("asOf") ? AsOfKind : null;
    }
}

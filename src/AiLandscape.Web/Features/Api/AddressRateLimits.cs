using System.Globalization;
using System.Threading.RateLimiting;
using AiLandscape.Web.Features.Accounts;
using Microsoft.AspNetCore.Diagnostics;

namespace AiLandscape.Web.Features.Api;

/// <summary>
/// Limits by client address (IPv6 by its /64) that run before authentication (issue 14, ADR 0015):
/// <list type="bullet">
/// <item>API requests that carry a token share <c>PermitLimit × TokenCallersPerAddress</c> per window, so a stream of
/// bad tokens is limited too (the API's own limit partitions by user and runs after authentication, which answers
/// a bad token with 401 first);</item>
/// <item>requests as of a day (<c>?asOf=</c>, any method) get <c>PermitLimit</c> per window, like the API and the
/// exports. These are page loads (a first visit, a reload, a new tab) and downloads: a day picked inside an open
/// page travels over its circuit, not as a request, and each such view is a few indexed queries (ADR 0033).</item>
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
        // A limit "lifted" to a billion (the benchmarks) times the callers must not wrap around to a negative number.
        var tokenPermits = (int)Math.Min(int.MaxValue, (long)limits.PermitLimit * Math.Max(1, limits.TokenCallersPerAddress));
        int PermitsOf(string kind) => kind == TokenKind ? tokenPermits : limits.PermitLimit;
        var limiter = PartitionedRateLimiter.Create<(string Kind, string Client), (string, string)>(key =>
            RateLimitPartition.GetFixedWindowLimiter(key, k => new FixedWindowRateLimiterOptions
            {
                PermitLimit = PermitsOf(k.Item1),
                Window = window,
                QueueLimit = 0,
            }));
        app.Lifetime.ApplicationStopped.Register(limiter.Dispose);
        app.Use(async (context, next) =>
        {
            var kind = KindOf(context);
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
            var detail = $"At most {PermitsOf(kind)} {(kind == TokenKind ? "API requests with a token" : "views as of a day")} "
                + $"per {limits.WindowSeconds} seconds from one address; retry after {retryAfter} seconds.";
            if (kind == TokenKind)
            {
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = detail },
                });
                return;
            }
            // A page: a line of text (a browser's Accept would take JSON too), not the not-found page of the status pages.
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("Too many requests. " + detail, context.RequestAborted);
        });
        return app;
    }

    private static string? KindOf(HttpContext context)
    {
        var request = context.Request;
        if (context.Features.Get<IExceptionHandlerPathFeature>() is not null)
        {
            return null; // the error page re-running a request that was counted already
        }
        if (request.Path.StartsWithSegments(ApiSetup.BasePath) && request.Headers.Authorization.Count > 0)
        {
            return TokenKind;
        }
        return request.Query.ContainsKey("asOf") ? AsOfKind : null;
    }
}

using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace AiLandscape.Web.Hosting;

/// <summary>The "Proxy" section: the TLS proxies whose X-Forwarded-* headers the app believes.</summary>
public sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>
    /// IP addresses of the reverse proxies in front of the app. Loopback is always trusted (a proxy on the same
    /// machine); any other sender's X-Forwarded-For/Proto is ignored, so a client cannot pick its own rate-limit
    /// bucket or pretend to use HTTPS.
    /// </summary>
    public List<string> KnownProxies { get; set; } = [];
}

/// <summary>
/// Response headers that browsers act on (nosniff, referrer and permissions policies, HSTS outside Development),
/// no Server header, and forwarded headers from configured proxies only: behind a TLS proxy the request is seen as
/// HTTPS (so the sign-in cookie is Secure) and each client gets its own rate-limit bucket.
/// </summary>
public static class SecurityHeaders
{
    public static WebApplicationBuilder AddSecurityHeaders(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);
        var proxies = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (var proxy in proxies.KnownProxies)
            {
                if (!IPAddress.TryParse(proxy.Trim(), out var address))
                {
                    throw new InvalidOperationException($"Proxy:KnownProxies: '{proxy}' is not an IP address.");
                }
                o.KnownProxies.Add(address);
            }
        });
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false; // the app does not own its parent domain's other hosts
        });
        return builder;
    }

    /// <summary>First in the pipeline, so that every later step sees the client's address and scheme.</summary>
    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts(); // only on HTTPS responses, as browsers ignore it on plain HTTP
            // Plain HTTP is sent to HTTPS once the app knows its HTTPS port (`https_port`, or an https endpoint of
            // its own); without one it does nothing (a TLS proxy that redirects itself, the tests' http).
            // Behind a trusted proxy, X-Forwarded-Proto (read above) tells it which requests came over HTTPS.
            // Health probes stay on plain HTTP: a load balancer or compose asks http://instance/health directly.
            app.UseWhen(context => !context.Request.Path.StartsWithSegments("/health"), branch => branch.UseHttpsRedirection());
        }
        app.Use((context, next) =>
        {
            if (IsCrossOriginHubRequest(context.Request))
            {
                // Cross-site WebSocket hijacking: a page elsewhere must not open a circuit with the user's cookie.
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            }
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/api/docs", StringComparison.OrdinalIgnoreCase)
                ? ApiDocsPolicy
                : PagePolicy(CreateNonce(context));
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return next();
        });
        return app;
    }

    private const string NonceKey = "ailandscape.csp-nonce";

    /// <summary>
    /// Scripts only from the app itself, plus the one inline script (Blazor's import map) carrying this response's
    /// nonce; styles also inline (MudBlazor's theme and components set style attributes and a style element);
    /// images and fonts from the app or data: URLs; connections (the Blazor WebSocket) to the app only; no plugins,
    /// no framing by other sites, no foreign form targets or base URL.
    /// </summary>
    private static string PagePolicy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    /// <summary>The API reference page (Scalar, served by the app) runs inline scripts and eval: its own, looser policy.</summary>
    private const string ApiDocsPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static string CreateNonce(HttpContext context)
    {
        // Hex: no "+" or "/" that the HTML encoder would write as character references in the attribute.
        var nonce = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        context.Items[NonceKey] = nonce;
        return nonce;
    }

    /// <summary>The nonce of this response's Content-Security-Policy, for the page's inline script (App.razor).</summary>
    public static string? CspNonce(this HttpContext context) => context.Items[NonceKey] as string;

    /// <summary>
    /// A request to the Blazor hub (negotiate, WebSocket, long polling) that a browser sent from another site: its
    /// Origin is not this app's own host. Clients that send no Origin (not browsers) are not cross-site requests.
    /// </summary>
    public static bool IsCrossOriginHubRequest(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments("/_blazor", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin))
        {
            return false;
        }
        return !Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            || !string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase);
    }
}

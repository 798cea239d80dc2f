using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace AiLandscape.Web.Hosting;

/// <summary>
/// Outside Development the cookies that carry a sign-in (the session, the two-factor steps: every cookie
/// authentication scheme) are marked <c>Secure</c> whatever the request's scheme: behind a TLS proxy whose
/// <c>X-Forwarded-Proto</c> is missing or not trusted the app sees plain http, and a session cookie without
/// <c>Secure</c> could then leave over http. The antiforgery cookie stays Secure-when-https: ASP.NET Core refuses to
/// issue one marked Secure on an http request (every form would fail), and it is no credential without the session.
/// Development over http://localhost keeps plain cookies. ADR 0025.
/// </summary>
public static class SecureCookies
{
    public static WebApplicationBuilder AddSecureCookies(this WebApplicationBuilder builder)
    {
        if (builder.Environment.IsDevelopment())
        {
            return builder;
        }
        builder.Services.PostConfigureAll<CookieAuthenticationOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);
        builder.Services.PostConfigure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        return builder;
    }
}

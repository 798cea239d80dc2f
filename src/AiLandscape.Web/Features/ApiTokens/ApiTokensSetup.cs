using AiLandscape.Web.Features.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace AiLandscape.Web.Features.ApiTokens;

public static class ApiTokensSetup
{
    /// <summary>
    /// The bearer-token scheme beside the login cookie, and the policy the write API requires: an editor or admin
    /// signed in by either.
    /// </summary>
    public static WebApplicationBuilder AddApiTokens(this WebApplicationBuilder builder)
    {
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.ApiEdit, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, ApiTokenAuthenticationHandler.SchemeName)
                .RequireRole(Roles.Editor, Roles.Admin))
            // With Access:RequireLoginToRead: the read API takes the token too (pages keep the cookie and the login form).
            .AddPolicy(Policies.ApiRead, p => p
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, ApiTokenAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser());
        builder.Services.AddScoped<ApiTokenService>();
        return builder;
    }

    /// <summary>
    /// API answers are for programs: an error without a body (a 401 or 403 from authorization, a 405) gets a ProblemDetails
    /// body instead of being re-executed as the HTML not-found page. Place after UseStatusCodePages.
    /// </summary>
    public static IApplicationBuilder UseApiProblemDetails(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }
            if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } pages)
            {
                pages.Enabled = false;
            }
            await next(context);
            if (context.Response.StatusCode >= 400 && !context.Response.HasStarted
                && context.Response.ContentLength is null && string.IsNullOrEmpty(context.Response.ContentType))
            {
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails =
                    {
                        Status = context.Response.StatusCode,
                        Detail = context.Response.StatusCode switch
                        {
                            StatusCodes.Status401Unauthorized => "Log in first (or send a valid API token): this requires a signed-in user.",
                            StatusCodes.Status403Forbidden => "Your account may not do this.",
                            _ => null,
                        },
                    },
                });
            }
        });
}

using System.Globalization;
using AiLandscape.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>Accounts, sign-in and authorization: everything Program.cs needs, in three calls.</summary>
public static class AccountsSetup
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string AccessDeniedPath = "/account/access-denied";
    public const string ChangePasswordPath = "/account/change-password";
    public const string TwoFactorPath = "/account/two-factor";
    public const string LoginCodePath = "/account/login/code";
    public const int MinPasswordLength = 12;
    private const string SignedInAtKey = "ailandscape.signed_in_at";

    /// <summary>Identity over the app's database, the sign-in cookie, roles, policies and the account services.</summary>
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var accountsSection = builder.Configuration.GetSection(AccountsOptions.Section);
        var accounts = accountsSection.Get<AccountsOptions>() ?? new AccountsOptions();
        var access = builder.Configuration.GetSection(AccessOptions.Section).Get<AccessOptions>() ?? new AccessOptions();
        services.Configure<AccountsOptions>(accountsSection);
        services.Configure<AccessOptions>(builder.Configuration.GetSection(AccessOptions.Section));

        services.AddIdentity<AppUser, IdentityRole>(o =>
            {
                o.User.RequireUniqueEmail = true;
                // Length and a common-password check (CommonPasswordValidator), no composition rules: NIST SP 800-63B.
                o.Password.RequiredLength = MinPasswordLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = accounts.MaxFailedLogins;
                o.Lockout.DefaultLockoutTimeSpan = accounts.LockoutDuration;
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<AppDbContext>()
            .AddPasswordValidator<CommonPasswordValidator>()
            // TOTP (RFC 6238) codes from an authenticator app, each accepted once; the key, the last step used and the
            // recovery codes live in AspNetUserTokens.
            .AddTokenProvider<OneTimeAuthenticatorTokenProvider>(TokenOptions.DefaultAuthenticatorProvider)
            .AddSignInManager<AppSignInManager>()
            .AddClaimsPrincipalFactory<AppClaimsPrincipalFactory>();

        // The cookie's security stamp is checked on every request (one indexed read for signed-in users only): a
        // logout, a changed password, a disabled account or a removed role ends the account's other sessions at once.
        // AppSignInManager also rejects disabled accounts here. Circuits are re-checked every SessionValidationInterval.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = LoginPath;
            o.LogoutPath = LogoutPath;
            o.AccessDeniedPath = AccessDeniedPath;
            o.ReturnUrlParameter = "returnUrl";
            o.Cookie.Name = "AiLandscape.Auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = accounts.SessionLifetime;
            o.SlidingExpiration = true;
            // Besides the sliding lifetime, an absolute one: the time of the password sign-in travels in the cookie
            // (protected, so it cannot be changed) and survives renewals.
            o.Events.OnSigningIn = context =>
            {
                context.Properties.Items.TryAdd(SignedInAtKey, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                return Task.CompletedTask;
            };
            o.Events.OnValidatePrincipal = async context =>
            {
                if (!context.Properties.Items.TryGetValue(SignedInAtKey, out var at)
                    || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var signedInAt)
                    || DateTimeOffset.UtcNow - signedInAt > accounts.AbsoluteSessionLifetime)
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await SecurityStampValidator.ValidatePrincipalAsync(context);
            };
            // APIs answer with a status code; only pages are sent to the login form.
            o.Events.OnRedirectToLogin = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context.HttpContext, context.RedirectUri, StatusCodes.Status403Forbidden);
        });

        var authorization = services.AddAuthorizationBuilder()
            // A pending step (an admin-set password to change, two-factor sign-in to set up) withholds both rights.
            .AddPolicy(Policies.CanEdit, p => p.RequireRole(Roles.Editor, Roles.Admin).RequireAssertion(NoPendingStep))
            .AddPolicy(Policies.Admin, p => p.RequireRole(Roles.Admin).RequireAssertion(NoPendingStep));
        if (access.RequireLoginToRead)
        {
            // Applies to every endpoint without its own [Authorize]/[AllowAnonymous]: pages, APIs, the Blazor hub.
            authorization.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        }

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, AccountsRevalidatingAuthenticationStateProvider>();
        services.AddScoped<CurrentUser>();
        services.AddScoped<AccountService>();
        services.AddScoped<TwoFactorService>();
        services.AddSingleton<LoginThrottle>();
        services.AddScoped<UserAdminService>();
        services.AddScoped<AccountSeeder>();
        services.AddExceptionHandler<ForbiddenExceptionHandler>();
        return builder;
    }

    private static bool NoPendingStep(AuthorizationHandlerContext context) => PendingStep.Of(context.User) is null;

    /// <summary>The logout endpoint (a form POST with an antiforgery token). The pages map themselves.</summary>
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(LogoutPath, LogoutAsync).AllowAnonymous();
        app.MapGet("/api/account/me", GetMe).RequireAuthorization().WithName("CurrentAccount");
        return app;
    }

    /// <summary>Creates the roles, the first admin from the environment and, in Development only, the demo users.</summary>
    public static async Task EnsureAccountsAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AccountSeeder>().EnsureAsync(ct);
    }

    // Form binding makes the endpoint validate the antiforgery token (UseAntiforgery), so a cross-site form
    // cannot log the user out.
    private static async Task<RedirectHttpResult> LogoutAsync(AccountService accounts, [FromForm] string? returnUrl)
    {
        await accounts.SignOutAsync();
        return TypedResults.LocalRedirect(LocalUrl.OrHome(returnUrl));
    }

    /// <summary>Who the caller is, for API clients and scripts (401 when not logged in).</summary>
    private static Ok<MeResponse> GetMe(CurrentUser user) =>
        TypedResults.Ok(new MeResponse(user.UserId!, user.UserName!, user.DisplayName,
            Roles.All.Where(user.IsInRole).ToList(), user.CanEdit, user.IsAdmin));

    private static Task RedirectOrStatus(HttpContext context, string redirectUri, int status)
    {
        // A 404 re-executed as the not-found page is challenged there: answer for the address actually asked for.
        var reExecute = context.Features.Get<IStatusCodeReExecuteFeature>();
        var path = reExecute is null ? context.Request.Path : new PathString(reExecute.OriginalPath);
        if (path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            // No redirect for programs; UseApiProblemDetails gives the answer its problem-details body.
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        if (reExecute is not null && status == StatusCodes.Status401Unauthorized)
        {
            redirectUri = LocalUrl.Login(reExecute.OriginalPath + reExecute.OriginalQueryString);
        }
        context.Response.Redirect(redirectUri);
        return Task.CompletedTask;
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Components.Endpoints;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>
/// A step a signed-in user must take before using the app: change a password an admin set, or set up two-factor
/// sign-in that their role requires. The claims factory puts it in the principal (rebuilt from the database on every
/// request by the security stamp check), the policies refuse admin and editor rights while it is there, page loads
/// are sent to the step's page (<see cref="UsePendingAccountSteps"/>) and writes check the database
/// (<see cref="AccountChecks.WriteAccessAsync"/>).
/// </summary>
public static class PendingStep
{
    public const string ClaimType = "ailandscape:pending_step";
    public const string ChangePassword = "change-password";
    public const string TwoFactorSetup = "two-factor-setup";

    /// <summary>The pages a user with a pending step may still open besides the step's own: the ways in and out.</summary>
    private static readonly string[] AllowedPaths =
    [
        AccountsSetup.LoginPath, AccountsSetup.LoginCodePath, AccountsSetup.LogoutPath, AccountsSetup.AccessDeniedPath,
    ];

    public static string? Of(ClaimsPrincipal user) => user.FindFirstValue(ClaimType);

    /// <summary>The step this account has to take now, or null (password first, then two-factor sign-in).</summary>
    public static string? For(bool mustChangePassword, bool twoFactorEnabled, IEnumerable<string> roles, AccountsOptions options) =>
        mustChangePassword ? ChangePassword
        : !twoFactorEnabled && roles.Any(options.TwoFactorRoles().Contains) ? TwoFactorSetup
        : null;

    public static string PathOf(string step) =>
        step == ChangePassword ? AccountsSetup.ChangePasswordPath : AccountsSetup.TwoFactorPath;

    /// <summary>What the user is told on the step's page.</summary>
    public static string Explain(string step) => step == ChangePassword
        ? "An administrator set your password. Choose your own before you continue."
        : "Your role requires two-factor sign-in. Set it up before you continue.";

    /// <summary>
    /// Sends page loads of a user with a pending step to the step's page. Only pages (Razor component endpoints):
    /// APIs answer for themselves, and their writes are refused by the database check. Place after UseAuthentication
    /// and before UseAuthorization, so that an admin page sends a pending admin to the step, not to "access denied".
    /// </summary>
    public static IApplicationBuilder UsePendingAccountSteps(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (Of(context.User) is { } step
                && (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                && context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null
                && !context.Request.Path.Equals(PathOf(step), StringComparison.OrdinalIgnoreCase)
                && !AllowedPaths.Any(p => context.Request.Path.Equals(p, StringComparison.OrdinalIgnoreCase)))
            {
                var back = context.Request.Path + context.Request.QueryString;
                context.Response.Redirect($"{PathOf(step)}?returnUrl={Uri.EscapeDataString(back)}");
                return;
            }
            await next(context);
        });
}

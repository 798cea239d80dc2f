using System.Security.Claims;
using AiLandscape.Web.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>
/// Identity's sign-in manager, plus: a disabled account, or a demo account outside Development, can neither sign
/// in nor keep a session. The cookie's
/// security stamp check and the circuits' revalidation both go through <see cref="ValidateSecurityStampAsync(ClaimsPrincipal)"/>.
/// </summary>
public sealed class AppSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation,
    IHostEnvironment environment)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) =>
        IsAllowedHere(user) && await base.CanSignInAsync(user);

    public override async Task<AppUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal)
    {
        var user = await base.ValidateSecurityStampAsync(principal);
        return user is not null && IsAllowedHere(user) ? user : null;
    }

    /// <summary>Not disabled, and not a Development demo account outside Development.</summary>
    private bool IsAllowedHere(AppUser user) =>
        !user.IsDisabled && (environment.IsDevelopment() || !AccountSeeder.IsDemoEmail(user.Email));
}

/// <summary>
/// Adds the display name to the principal, so the layout can greet the user without a query, and the account's
/// <see cref="PendingStep"/> if it has one.
/// </summary>
public sealed class AppClaimsPrincipalFactory(
    UserManager<AppUser> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options,
    IOptions<AccountsOptions> accounts)
    : UserClaimsPrincipalFactory<AppUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (!string.IsNullOrWhiteSpace(user.DisplayName))
        {
            identity.AddClaim(new Claim(CurrentUser.DisplayNameClaim, user.DisplayName));
        }
        var roles = identity.FindAll(identity.RoleClaimType).Select(c => c.Value);
        if (PendingStep.For(user.MustChangePassword, user.TwoFactorEnabled, roles, accounts.Value) is { } step)
        {
            identity.AddClaim(new Claim(PendingStep.ClaimType, step));
        }
        return identity;
    }
}

/// <summary>
/// Re-checks a Blazor circuit's user every <see cref="AccountsOptions.SessionValidationInterval"/>: a changed
/// security stamp (password changed, account disabled, role removed) or a disabled account turns the circuit
/// anonymous, as the cookie check does for plain requests. After the Blazor template's
/// IdentityRevalidatingAuthenticationStateProvider.
/// </summary>
public sealed class AccountsRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory, IServiceScopeFactory scopeFactory, IOptions<AccountsOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => options.Value.SessionValidationInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        IsStillValidAsync(authenticationState.User);

    /// <summary>False when the account is gone or disabled, or its security stamp changed since the login.</summary>
    internal async Task<bool> IsStillValidAsync(ClaimsPrincipal user)
    {
        // A scope of its own: the circuit's scope lives for hours and must not hold a stale DbContext.
        await using var scope = scopeFactory.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<AppUser>>();
        return await signIn.ValidateSecurityStampAsync(user) is not null;
    }
}

using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AiLandscape.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>The signed-in user's own account: log in, log out, change password. Used by the static SSR pages.</summary>
public sealed class AccountService(
    SignInManager<AppUser> signIn,
    UserManager<AppUser> users,
    LoginThrottle throttle,
    IDbContextFactory<AppDbContext> dbFactory,
    ILogger<AccountService> logger)
{
    public async Task<LoginOutcome> SignInAsync(LoginRequest request)
    {
        if (!Validator.TryValidateObject(request, new ValidationContext(request), null, validateAllProperties: true))
        {
            return LoginOutcome.Incorrect;
        }
        var email = request.Email.Trim();
        if (!throttle.TryAttempt(signIn.Context.Connection.RemoteIpAddress, email))
        {
            // Before the password is checked: a throttled guess learns nothing, right or wrong.
            logger.LogWarning("Login throttled for client {Client}", LoginThrottle.ClientKey(signIn.Context.Connection.RemoteIpAddress));
            return LoginOutcome.Throttled;
        }
        var result = await signIn.PasswordSignInAsync(email, request.Password, request.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            logger.LogInformation("User {Email} logged in", email);
            return LoginOutcome.Success;
        }
        if (result.RequiresTwoFactor)
        {
            // Identity keeps who it is in a short-lived cookie of its own; the session starts after the code.
            logger.LogInformation("User {Email} gave the right password; asking for the authenticator code", email);
            return LoginOutcome.TwoFactor;
        }
        var user = await users.FindByNameAsync(email);
        if (user is null)
        {
            // Hash the password anyway, so that an unknown email takes as long as a wrong password.
            users.PasswordHasher.VerifyHashedPassword(new AppUser(), TimingHash.Value, request.Password);
            logger.LogInformation("Failed login: no account for the given email");
            return LoginOutcome.Incorrect;
        }
        if (result.IsLockedOut)
        {
            // The same answer as a wrong password: "locked" would confirm that the account exists.
            logger.LogWarning("Login refused: {UserId} is locked out", user.Id);
            return LoginOutcome.Incorrect;
        }
        if (result.IsNotAllowed && user.IsDisabled)
        {
            // Identity refuses a disabled account before it looks at the password. Say "disabled" only to someone
            // who knows the password, and count wrong guesses towards the lockout as for any account.
            if (await users.IsLockedOutAsync(user))
            {
                return LoginOutcome.Incorrect;
            }
            if (await users.CheckPasswordAsync(user, request.Password))
            {
                logger.LogWarning("Login refused: {UserId} is disabled", user.Id);
                return LoginOutcome.Disabled;
            }
            await users.AccessFailedAsync(user);
        }
        logger.LogInformation("Failed login for {UserId}", user.Id);
        return LoginOutcome.Incorrect;
    }

    /// <summary>
    /// The second step of a sign-in with two-factor on: a 6-digit authenticator code, or a recovery code (each works
    /// once). Wrong codes count towards the throttle and the account lockout like wrong passwords.
    /// </summary>
    public async Task<LoginOutcome> SignInWithCodeAsync(LoginCodeRequest request)
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return LoginOutcome.CodeExpired;
        }
        if (!throttle.TryAttempt(signIn.Context.Connection.RemoteIpAddress, user.Email ?? user.Id))
        {
            logger.LogWarning("Login code throttled for client {Client}", LoginThrottle.ClientKey(signIn.Context.Connection.RemoteIpAddress));
            return LoginOutcome.Throttled;
        }
        if (await users.IsLockedOutAsync(user))
        {
            return LoginOutcome.CodeLocked;
        }
        Microsoft.AspNetCore.Identity.SignInResult result;
        var recovery = false;
        if (TwoFactorService.AuthenticatorCode(request.Code) is { } code)
        {
            // Identity counts a wrong code as a failed access (lockout) itself.
            result = await signIn.TwoFactorAuthenticatorSignInAsync(code, request.RememberMe, rememberClient: false);
        }
        else
        {
            recovery = true;
            // A code with no letter or digit ("%", an emoji) is no recovery code, and a wrong one: Identity throws on an
            // empty code (a 500, found by the form fuzz test).
            var recoveryCode = TwoFactorService.RecoveryCode(request.Code);
            result = recoveryCode.Length > 0
                ? await signIn.TwoFactorRecoveryCodeSignInAsync(recoveryCode)
                : Microsoft.AspNetCore.Identity.SignInResult.Failed;
            if (!result.Succeeded && !result.IsNotAllowed)
            {
                // Identity does not count wrong recovery codes: count them like wrong passwords.
                await users.AccessFailedAsync(user);
                if (await users.IsLockedOutAsync(user))
                {
                    result = Microsoft.AspNetCore.Identity.SignInResult.LockedOut;
                }
            }
        }
        if (result.Succeeded)
        {
            if (recovery)
            {
                logger.LogWarning("User {UserId} logged in with a recovery code ({Left} left)", user.Id, await users.CountRecoveryCodesAsync(user));
            }
            else
            {
                logger.LogInformation("User {UserId} logged in with an authenticator code", user.Id);
            }
            return LoginOutcome.Success;
        }
        if (result.IsLockedOut)
        {
            logger.LogWarning("Login refused: {UserId} is locked out after wrong codes", user.Id);
            return LoginOutcome.CodeLocked;
        }
        if (result.IsNotAllowed)
        {
            return user.IsDisabled ? LoginOutcome.Disabled : LoginOutcome.Incorrect;
        }
        logger.LogInformation("Wrong {Kind} code for {UserId}", recovery ? "recovery" : "authenticator", user.Id);
        return LoginOutcome.WrongCode;
    }

    /// <summary>
    /// A hash of a random password, made once with Identity's default hasher (the one the app uses, so verifying
    /// against it costs what a real check costs), to verify unknown emails against.
    /// </summary>
    private static readonly Lazy<string> TimingHash = new(() =>
        new PasswordHasher<AppUser>().HashPassword(new AppUser(), Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));

    public async Task SignOutAsync()
    {
        var userId = signIn.Context.User.FindFirstValue(ClaimTypes.NameIdentifier);
        if (userId is not null && await users.FindByIdAsync(userId) is { } user)
        {
            // A new security stamp: a copy of this session's cookie is refused from the next request on, since the
            // cookie's stamp is checked on every request.
            await users.UpdateSecurityStampAsync(user);
        }
        await signIn.SignOutAsync();
        if (userId is not null)
        {
            logger.LogInformation("User {UserId} logged out", userId);
        }
    }

    public async Task<AccountResult> ChangePasswordAsync(ClaimsPrincipal principal, ChangePasswordRequest request)
    {
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(request, new ValidationContext(request), errors, validateAllProperties: true))
        {
            return AccountResult.Fail(errors.Select(e => e.ErrorMessage ?? "Invalid input.").ToArray());
        }
        var user = await users.GetUserAsync(principal);
        if (user is null || user.IsDisabled)
        {
            return AccountResult.Fail("Log in again to change your password.");
        }
        if (user.MustChangePassword && request.NewPassword == request.CurrentPassword)
        {
            return AccountResult.Fail("Choose a new password: not the one the administrator set.");
        }
        // Saved with the new password (ChangePasswordAsync updates the user), or not at all.
        var wasPending = user.MustChangePassword;
        user.MustChangePassword = false;
        var result = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        if (!result.Succeeded)
        {
            user.MustChangePassword = wasPending;
            return AccountResult.From(result);
        }
        // The password change renewed the security stamp: other sessions end at their next check, this one is
        // signed in again with the new stamp. API tokens made with the old password die with it.
        await signIn.RefreshSignInAsync(user);
        await using (var db = await dbFactory.CreateDbContextAsync())
        {
            var revoked = await db.ApiTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow));
            if (revoked > 0)
            {
                logger.LogInformation("Revoked {Count} API tokens of {UserId} after a password change", revoked, user.Id);
            }
        }
        logger.LogInformation("User {UserId} changed their password", user.Id);
        return AccountResult.Ok;
    }
}

using System.Globalization;
using System.Security.Claims;
using System.Text;
using AiLandscape.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>
/// The signed-in user's two-factor sign-in (TOTP, RFC 6238, with ASP.NET Core Identity's authenticator provider):
/// set up, new recovery codes, turn off. Each change needs a current code, so a borrowed session cannot take the
/// recovery codes or switch the second factor off. Used by the static SSR page, which can renew the cookie.
/// </summary>
public sealed class TwoFactorService(
    SignInManager<AppUser> signIn,
    UserManager<AppUser> users,
    LoginThrottle throttle,
    IOptions<AccountsOptions> options,
    ILogger<TwoFactorService> logger)
{
    public const int RecoveryCodeCount = 10;
    public const string Issuer = "AiLandscape";

    /// <summary>The account's state; when two-factor sign-in is off, makes the authenticator key to set it up with.</summary>
    public async Task<TwoFactorStatus?> StatusAsync(ClaimsPrincipal principal)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null || user.IsDisabled)
        {
            return null;
        }
        var required = await IsRequiredAsync(user);
        if (await users.GetTwoFactorEnabledAsync(user))
        {
            return new TwoFactorStatus(true, required, null, null, await users.CountRecoveryCodesAsync(user));
        }
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            // A new key renews the security stamp: sign this session in again, or the next request would end it.
            await users.ResetAuthenticatorKeyAsync(user);
            await signIn.RefreshSignInAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
        }
        return new TwoFactorStatus(false, required, FormatKey(key!), AuthenticatorUri(user.Email ?? user.UserName ?? "", key!), 0);
    }

    /// <summary>Turns two-factor sign-in on when <paramref name="code"/> is the app's current code; returns the recovery codes.</summary>
    public async Task<TwoFactorResult> EnableAsync(ClaimsPrincipal principal, string? code)
    {
        var (user, error) = await CheckCodeAsync(principal, code, mustBeEnabled: false);
        if (user is null)
        {
            return TwoFactorResult.Fail(error!);
        }
        await users.SetTwoFactorEnabledAsync(user, true);
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount);
        // Enabling renewed the security stamp: other sessions end, this one continues (without its pending step).
        await signIn.RefreshSignInAsync(user);
        logger.LogInformation("User {UserId} turned two-factor sign-in on", user.Id);
        return TwoFactorResult.WithCodes(codes!.ToList());
    }

    /// <summary>Replaces the recovery codes (the old ones stop working).</summary>
    public async Task<TwoFactorResult> NewRecoveryCodesAsync(ClaimsPrincipal principal, string? code)
    {
        var (user, error) = await CheckCodeAsync(principal, code, mustBeEnabled: true);
        if (user is null)
        {
            return TwoFactorResult.Fail(error!);
        }
        var codes = await users.GenerateNewTwoFactorRecoveryCodesAsync(user, RecoveryCodeCount);
        logger.LogInformation("User {UserId} made new recovery codes", user.Id);
        return TwoFactorResult.WithCodes(codes!.ToList());
    }

    /// <summary>Turns two-factor sign-in off and forgets the key (setting it up again gives a new one).</summary>
    public async Task<TwoFactorResult> DisableAsync(ClaimsPrincipal principal, string? code)
    {
        var (user, error) = await CheckCodeAsync(principal, code, mustBeEnabled: true);
        if (user is null)
        {
            return TwoFactorResult.Fail(error!);
        }
        await users.SetTwoFactorEnabledAsync(user, false);
        await users.ResetAuthenticatorKeyAsync(user);
        await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0);
        await signIn.RefreshSignInAsync(user);
        logger.LogWarning("User {UserId} turned two-factor sign-in off", user.Id);
        return TwoFactorResult.Ok;
    }

    private async Task<(AppUser? User, string? Error)> CheckCodeAsync(ClaimsPrincipal principal, string? code, bool mustBeEnabled)
    {
        var user = await users.GetUserAsync(principal);
        if (user is null || user.IsDisabled)
        {
            return (null, "Log in again to change two-factor sign-in.");
        }
        if (await users.GetTwoFactorEnabledAsync(user) != mustBeEnabled)
        {
            return (null, mustBeEnabled ? "Two-factor sign-in is off." : "Two-factor sign-in is already on.");
        }
        if (!throttle.TryAttempt(signIn.Context.Connection.RemoteIpAddress, user.Email ?? user.Id))
        {
            return (null, LoginOutcome.ThrottledMessage);
        }
        var digits = AuthenticatorCode(code);
        if (digits is null || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, digits))
        {
            logger.LogInformation("Wrong authenticator code from {UserId} on the two-factor page", user.Id);
            return (null, LoginOutcome.WrongCodeMessage);
        }
        return (user, null);
    }

    private async Task<bool> IsRequiredAsync(AppUser user)
    {
        var roles = await users.GetRolesAsync(user);
        return roles.Any(options.Value.TwoFactorRoles().Contains);
    }

    /// <summary>Six digits, with any spaces or hyphens the user typed removed; null when it is not that.</summary>
    public static string? AuthenticatorCode(string? input)
    {
        var digits = new string((input ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        return digits.Length == 6 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>A recovery code as Identity stores it (XXXXX-XXXXX, upper case), however it was typed.</summary>
    public static string RecoveryCode(string? input)
    {
        var chars = new string((input ?? "").Where(char.IsLetterOrDigit).ToArray()).ToUpperInvariant();
        return chars.Length == 10 ? chars[..5] + "-" + chars[5..] : chars;
    }

    /// <summary>The key in groups of four, easier to type into an app by hand.</summary>
    public static string FormatKey(string key)
    {
        var result = new StringBuilder();
        for (var i = 0; i < key.Length; i += 4)
        {
            if (i > 0)
            {
                result.Append(' ');
            }
            result.Append(key.AsSpan(i, Math.Min(4, key.Length - i)));
        }
        return result.ToString().ToLowerInvariant();
    }

    /// <summary>The otpauth:// address authenticator apps read (from a QR code, or pasted).</summary>
    public static string AuthenticatorUri(string account, string key) =>
        string.Create(CultureInfo.InvariantCulture,
            $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(account)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6&period=30");
}

/// <summary>The two-factor page's view of an account. The key and address only while it is being set up.</summary>
public sealed record TwoFactorStatus(bool Enabled, bool Required, string? SharedKey, string? AuthenticatorUri, int RecoveryCodesLeft);

public sealed record TwoFactorResult(bool Succeeded, string? Error, IReadOnlyList<string> RecoveryCodes)
{
    public static TwoFactorResult Ok { get; } = new(true, null, []);
    public static TwoFactorResult Fail(string error) => new(false, error, []);
    public static TwoFactorResult WithCodes(IReadOnlyList<string> codes) => new(true, null, codes);
}

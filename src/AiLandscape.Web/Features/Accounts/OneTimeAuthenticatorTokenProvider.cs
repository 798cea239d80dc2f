using System.Globalization;
using AiLandscape.Web.Data;
using Microsoft.AspNetCore.Identity;
using OtpNet;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>
/// Identity's authenticator provider accepts a code for every time step in its window (90 seconds either way), as
/// often as it is sent: a code seen over a shoulder or captured by a phishing page signs in again within that window.
/// This one accepts each 30-second step at most once per account (RFC 6238, section 5.2): it keeps the last step
/// used in the account's tokens and refuses that step and earlier ones. The step is stored with the user's
/// concurrency stamp, so of two requests racing with the same code only one gets through.
/// </summary>
public sealed class OneTimeAuthenticatorTokenProvider(IHostEnvironment environment) : AuthenticatorTokenProvider<AppUser>
{
    private const string LoginProvider = "[AiLandscape]";
    private const string LastStepName = "LastAuthenticatorStep";

    public override async Task<bool> ValidateAsync(string purpose, string token, UserManager<AppUser> manager, AppUser user)
    {
        var key = await manager.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key) || token.Length != 6 || !token.All(char.IsAsciiDigit))
        {
            return false;
        }
        var totp = new Totp(Base32Encoding.ToBytes(key));
        if (!totp.VerifyTotp(token, out var step, new VerificationWindow(previous: 2, future: 2)))
        {
            return false;
        }
        // The Development demo admin's key is published with the code: anyone can compute its codes, so refusing a
        // repeat protects nothing, and the tests and demos sign it in several times a minute.
        if (environment.IsDevelopment() && AccountSeeder.IsDemoEmail(user.Email))
        {
            return true;
        }
        var last = await manager.GetAuthenticationTokenAsync(user, LoginProvider, LastStepName);
        if (long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var lastStep) && step <= lastStep)
        {
            return false;
        }
        var saved = await manager.SetAuthenticationTokenAsync(user, LoginProvider, LastStepName, step.ToString(CultureInfo.InvariantCulture));
        return saved.Succeeded;
    }
}

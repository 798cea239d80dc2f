namespace AiLandscape.Web.Features.Accounts;

/// <summary>The "Access" section: who may read.</summary>
public sealed class AccessOptions
{
    public const string Section = "Access";

    /// <summary>When true, every page and API needs a login (health checks, static assets and the login page stay open).</summary>
    public bool RequireLoginToRead { get; set; }
}

/// <summary>The "Accounts" section: sign-in and session settings.</summary>
public sealed class AccountsOptions
{
    public const string Section = "Accounts";

    /// <summary>
    /// How often an open Blazor circuit is checked against the database, so that a disabled account, a changed
    /// password or a removed role ends it within this time. The sign-in cookie is checked on every request.
    /// </summary>
    public TimeSpan SessionValidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Failed logins in a row that lock an account.</summary>
    public int MaxFailedLogins { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Sign-in attempts one client (IP address, IPv6 /64) may make per <see cref="LoginAttemptWindow"/>.</summary>
    public int LoginAttemptsPerClient { get; set; } = 10;

    /// <summary>Sign-in attempts for one account, from all clients together, per <see cref="LoginAttemptWindow"/>.</summary>
    public int LoginAttemptsPerAccount { get; set; } = 10;

    public TimeSpan LoginAttemptWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a login lasts at most, however active the user is; then they sign in again.</summary>
    public TimeSpan AbsoluteSessionLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a login lasts without activity (the cookie slides while the user is active).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// When true, editors too must set up two-factor sign-in (admins always must): until they do, every page sends
    /// them to the setup page and their writes are refused.
    /// </summary>
    public bool RequireTwoFactorForEditors { get; set; }

    /// <summary>The roles whose members must have two-factor sign-in on before they may use the app.</summary>
    public IReadOnlyList<string> TwoFactorRoles() =>
        RequireTwoFactorForEditors ? [Roles.Admin, Roles.Editor] : [Roles.Admin];
}

using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>The application's roles. Names are stored in the database: never rename one without a migration.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Editor = "Editor";
    public const string Analyst = "Analyst";

    /// <summary>Every role, in the order the UI lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Admin, Editor, Analyst];
}

/// <summary>Authorization policy names, for [Authorize(Policy = ...)], RequireAuthorization(...) and AuthorizeView.</summary>
public static class Policies
{
    /// <summary>Adding and correcting data: editors and admins.</summary>
    public const string CanEdit = "CanEdit";

    /// <summary>The write API: editors and admins, by login cookie or personal API token.</summary>
    public const string ApiEdit = "ApiEdit";

    /// <summary>The read API when Access:RequireLoginToRead is on: any signed-in user, by cookie or API token.</summary>
    public const string ApiRead = "ApiRead";

    /// <summary>Managing accounts and roles.</summary>
    public const string Admin = "Admin";
}

/// <summary>
/// Thrown by a service when the current user may not do what was asked. Pages should not offer such actions, so
/// reaching this means a bypassed UI or a bug: endpoints answer 403 (see <see cref="ForbiddenExceptionHandler"/>).
/// </summary>
public sealed class ForbiddenException(string message) : Exception(message);

/// <summary>Checks against the database, for actions that must not trust a session's minute-old claims.</summary>
public static class AccountChecks
{
    /// <summary>
    /// Whether the account exists, is enabled, holds one of <paramref name="roles"/> now and has no step left to do
    /// (an admin-set password to change, two-factor sign-in to set up): one query.
    /// </summary>
    public static async Task<bool> IsEnabledInRoleAsync(this AppDbContext db, string? userId, string[] roles, CancellationToken ct) =>
        await db.WriteAccessAsync(userId, roles, ct) == WriteAccess.Allowed;

    /// <summary>What the account may do now, read from the database: see <see cref="WriteAccess"/>.</summary>
    public static async Task<WriteAccess> WriteAccessAsync(this AppDbContext db, string? userId, string[] roles, CancellationToken ct)
    {
        if (userId is null)
        {
            return WriteAccess.NotInRole;
        }
        var account = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId && !u.IsDisabled)
            .Select(u => new
            {
                u.MustChangePassword,
                u.TwoFactorEnabled,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id).Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!).ToList(),
            })
            .SingleOrDefaultAsync(ct);
        if (account is null || !account.Roles.Any(roles.Contains))
        {
            return WriteAccess.NotInRole;
        }
        if (account.MustChangePassword)
        {
            return WriteAccess.MustChangePassword;
        }
        var twoFactorRoles = OptionsOf(db).TwoFactorRoles();
        return !account.TwoFactorEnabled && account.Roles.Any(twoFactorRoles.Contains)
            ? WriteAccess.NeedsTwoFactor
            : WriteAccess.Allowed;
    }

    /// <summary>
    /// Why a write or an account change is refused, in words that say what to do: <paramref name="role"/> names the
    /// role the action needs, <paramref name="outcome"/> ends the sentence ("nothing was saved").
    /// </summary>
    public static string Refusal(this WriteAccess access, string role, string outcome) => access switch
    {
        WriteAccess.MustChangePassword => $"Change the password an administrator set for you first: {outcome}.",
        WriteAccess.NeedsTwoFactor => $"Set up two-factor sign-in first (the {role} role requires it): {outcome}.",
        _ => $"Your account is disabled or no longer has the {role} role: {outcome}.",
    };

    /// <summary>The app's AccountsOptions, from the service provider the context was made by (defaults without one).</summary>
    private static AccountsOptions OptionsOf(AppDbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<Microsoft.EntityFrameworkCore.Infrastructure.CoreOptionsExtension>()
            ?.ApplicationServiceProvider?.GetService<Microsoft.Extensions.Options.IOptions<AccountsOptions>>()?.Value
        ?? new AccountsOptions();
}

/// <summary>The database's answer to "may this account act in these roles now?".</summary>
public enum WriteAccess
{
    Allowed,
    /// <summary>Gone, disabled, or without any of the roles.</summary>
    NotInRole,
    /// <summary>An admin set the password; the user has not chosen their own yet.</summary>
    MustChangePassword,
    /// <summary>The role requires two-factor sign-in and the account has not set it up.</summary>
    NeedsTwoFactor,
}

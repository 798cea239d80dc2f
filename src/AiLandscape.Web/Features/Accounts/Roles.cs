using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;

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
    /// <summary>Whether the account exists, is enabled and holds one of <paramref name="roles"/> now (one query).</summary>
    public static Task<bool> IsEnabledInRoleAsync(this AppDbContext db, string? userId, string[] roles, CancellationToken ct) =>
        db.Users.AsNoTracking()
            .Where(u => u.Id == userId && !u.IsDisabled)
            .AnyAsync(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && roles.Contains(r.Name!))), ct);
}

using System.ComponentModel.DataAnnotations;
using AiLandscape.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>
/// The admin's account management. Every method checks that the caller is an admin. Reads project straight from the
/// Identity tables (two SQL commands a page); writes go through Identity's UserManager in a scope of their own, so a
/// long-lived Blazor circuit never holds a stale DbContext.
/// </summary>
public sealed class UserAdminService(
    IDbContextFactory<AppDbContext> dbFactory,
    IServiceScopeFactory scopeFactory,
    CurrentUser currentUser,
    IHostEnvironment environment,
    ILogger<UserAdminService> logger)
{
    public async Task<UserPage> ListAsync(UserQuery query, CancellationToken ct = default)
    {
        await EnsureStillAdminAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var users = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var pattern = "%" + EscapeLike(query.Search.Trim()) + "%";
            users = users.Where(u => EF.Functions.ILike(u.Email!, pattern) || EF.Functions.ILike(u.DisplayName ?? "", pattern));
        }
        var total = await users.CountAsync(ct);
        users = (query.SortBy, query.Descending) switch
        {
            ("name", false) => users.OrderBy(u => u.DisplayName).ThenBy(u => u.NormalizedEmail),
            ("name", true) => users.OrderByDescending(u => u.DisplayName).ThenBy(u => u.NormalizedEmail),
            ("status", false) => users.OrderBy(u => u.IsDisabled).ThenBy(u => u.NormalizedEmail),
            ("status", true) => users.OrderByDescending(u => u.IsDisabled).ThenBy(u => u.NormalizedEmail),
            (_, true) => users.OrderByDescending(u => u.NormalizedEmail),
            _ => users.OrderBy(u => u.NormalizedEmail),
        };
        var pageSize = Math.Clamp(query.PageSize, 1, 200);
        var rows = await users
            .Skip(Math.Max(query.Page, 0) * pageSize)
            .Take(pageSize)
            .Select(u => new
            {
                u.Id, u.Email, u.DisplayName, u.IsDisabled, u.LockoutEnd, u.TwoFactorEnabled, u.MustChangePassword,
                Roles = db.UserRoles.Where(ur => ur.UserId == u.Id)
                    .Join(db.Roles, ur => ur.RoleId, r => r.Id, (ur, r) => r.Name!)
                    .ToList(),
            })
            .ToListAsync(ct);
        var now = DateTimeOffset.UtcNow;
        return new UserPage(
            rows.Select(u => new UserRow(u.Id, u.Email ?? "", u.DisplayName,
                    Roles.All.Where(u.Roles.Contains).ToList(), u.IsDisabled,
                    u.LockoutEnd > now ? u.LockoutEnd : null, u.TwoFactorEnabled, u.MustChangePassword))
                .ToList(),
            total);
    }

    public async Task<AccountResult> CreateAsync(CreateUserRequest request)
    {
        await EnsureStillAdminAsync();
        var validation = new List<ValidationResult>();
        if (!Validator.TryValidateObject(request, new ValidationContext(request), validation, validateAllProperties: true))
        {
            return AccountResult.Fail(validation.Select(v => v.ErrorMessage ?? "Invalid input.").ToArray());
        }
        var unknown = request.Roles.Except(Roles.All).ToList();
        if (unknown.Count > 0)
        {
            return AccountResult.Fail($"Unknown role: {string.Join(", ", unknown)}.");
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = request.Email.Trim();
        var user = new AppUser
        {
            UserName = email, Email = email, EmailConfirmed = true,
            DisplayName = string.IsNullOrWhiteSpace(request.DisplayName) ? null : request.DisplayName.Trim(),
            // The admin knows this password: the user replaces it at first sign-in.
            MustChangePassword = true,
        };
        var created = await users.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            // Identity reports a taken email twice (as user name and as email): say it once.
            return created.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName")
                ? AccountResult.Fail($"An account with the email {email} already exists.")
                : AccountResult.From(created);
        }
        var roles = Roles.All.Where(request.Roles.Contains).ToList();
        if (roles.Count > 0)
        {
            var added = await users.AddToRolesAsync(user, roles);
            if (!added.Succeeded)
            {
                return AccountResult.From(added);
            }
        }
        logger.LogInformation("Admin {AdminId} created user {UserId} with roles {Roles}", currentUser.UserId, user.Id, roles);
        return AccountResult.Ok;
    }

    /// <summary>Adds or removes a role. Removing one ends the user's sessions, so the right is gone within a minute.</summary>
    public async Task<AccountResult> SetRoleAsync(string userId, string role, bool member)
    {
        await EnsureStillAdminAsync();
        if (!Roles.All.Contains(role))
        {
            return AccountResult.Fail($"Unknown role: {role}.");
        }
        if (!member && role == Roles.Admin && userId == currentUser.UserId)
        {
            return AccountResult.Fail("You cannot remove your own Admin role; ask another admin.");
        }
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AccountResult.Fail("This account no longer exists.");
        }
        if (await users.IsInRoleAsync(user, role) == member)
        {
            return AccountResult.Ok;
        }
        var result = member ? await users.AddToRoleAsync(user, role) : await users.RemoveFromRoleAsync(user, role);
        if (result.Succeeded && !member)
        {
            result = await users.UpdateSecurityStampAsync(user);
        }
        if (result.Succeeded)
        {
            logger.LogInformation("Admin {AdminId} {Change} role {Role} for user {UserId}",
                currentUser.UserId, member ? "granted" : "removed", role, userId);
        }
        return AccountResult.From(result);
    }

    /// <summary>
    /// Disables or enables an account. Disabling renews the security stamp, so the user's open sessions (cookies and
    /// Blazor circuits) end at their next check, within <see cref="AccountsOptions.SessionValidationInterval"/>.
    /// </summary>
    public async Task<AccountResult> SetDisabledAsync(string userId, bool disabled)
    {
        await EnsureStillAdminAsync();
        if (disabled && userId == currentUser.UserId)
        {
            return AccountResult.Fail("You cannot disable your own account.");
        }
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AccountResult.Fail("This account no longer exists.");
        }
        if (!disabled && !environment.IsDevelopment() && AccountSeeder.IsDemoEmail(user.Email))
        {
            return AccountResult.Fail($"{user.Email} is a Development demo account with a published password: it stays disabled outside Development. Create an account of your own instead.");
        }
        user.IsDisabled = disabled;
        // UpdateSecurityStampAsync saves the user too: the flag and the new stamp are written together.
        var result = disabled ? await users.UpdateSecurityStampAsync(user) : await users.UpdateAsync(user);
        if (result.Succeeded)
        {
            logger.LogInformation("Admin {AdminId} {Change} user {UserId}", currentUser.UserId, disabled ? "disabled" : "enabled", userId);
        }
        return AccountResult.From(result);
    }

    /// <summary>Lifts a lockout after failed logins.</summary>
    public async Task<AccountResult> UnlockAsync(string userId)
    {
        await EnsureStillAdminAsync();
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AccountResult.Fail("This account no longer exists.");
        }
        var result = await users.SetLockoutEndDateAsync(user, null);
        if (result.Succeeded)
        {
            result = await users.ResetAccessFailedCountAsync(user);
        }
        if (result.Succeeded)
        {
            logger.LogInformation("Admin {AdminId} unlocked user {UserId}", currentUser.UserId, userId);
        }
        return AccountResult.From(result);
    }

    /// <summary>
    /// Gives the account a new random temporary password (returned once, for the admin to pass on), which the user
    /// must change at their next sign-in. Their sessions end and their API tokens are revoked, as with any password
    /// change; a lockout is lifted. Two-factor sign-in stays as it is.
    /// </summary>
    public async Task<PasswordResetResult> ResetPasswordAsync(string userId)
    {
        await EnsureStillAdminAsync();
        if (userId == currentUser.UserId)
        {
            return new PasswordResetResult(false, "Change your own password on the change-password page.", null);
        }
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return new PasswordResetResult(false, "This account no longer exists.", null);
        }
        var password = TemporaryPassword();
        user.MustChangePassword = true;
        // RemovePassword and AddPassword both renew the security stamp: the user's sessions end at their next check.
        var result = await users.RemovePasswordAsync(user);
        if (result.Succeeded)
        {
            result = await users.AddPasswordAsync(user, password);
        }
        if (result.Succeeded)
        {
            await users.SetLockoutEndDateAsync(user, null);
            await users.ResetAccessFailedCountAsync(user);
            await using var db = await dbFactory.CreateDbContextAsync();
            await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow));
            logger.LogWarning("Admin {AdminId} reset the password of user {UserId}", currentUser.UserId, userId);
            return new PasswordResetResult(true, null, password);
        }
        return new PasswordResetResult(false, AccountSeeder.Describe(result), null);
    }

    /// <summary>
    /// For a user who lost their authenticator (and their recovery codes): turns two-factor sign-in off, forgets the
    /// key and the recovery codes, and ends their sessions. They sign in with their password alone next time; an
    /// account that must have two-factor (an admin; an editor when required) is sent to set it up again before
    /// anything else. The admin should confirm who is asking before doing this, as with a password reset.
    /// </summary>
    public async Task<AccountResult> ResetTwoFactorAsync(string userId)
    {
        await EnsureStillAdminAsync();
        if (userId == currentUser.UserId)
        {
            return AccountResult.Fail("Manage your own two-factor sign-in on the two-factor page; ask another admin if you lost your authenticator.");
        }
        await using var scope = scopeFactory.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return AccountResult.Fail("This account no longer exists.");
        }
        // Each of these saves the user and renews the security stamp (SetTwoFactorEnabled, ResetAuthenticatorKey).
        var result = await users.SetTwoFactorEnabledAsync(user, false);
        if (result.Succeeded)
        {
            result = await users.ResetAuthenticatorKeyAsync(user);
        }
        if (result.Succeeded && await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 0) is null)
        {
            result = IdentityResult.Failed(new IdentityError { Description = "The recovery codes could not be removed." });
        }
        if (result.Succeeded)
        {
            logger.LogWarning("Admin {AdminId} reset the two-factor sign-in of user {UserId}", currentUser.UserId, userId);
        }
        return AccountResult.From(result);
    }

    /// <summary>A user's API tokens, newest first (for an admin to see and revoke).</summary>
    public async Task<IReadOnlyList<ApiTokens.ApiTokenRow>> ListTokensAsync(string userId, CancellationToken ct = default)
    {
        await EnsureStillAdminAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt)
            .Select(t => new ApiTokens.ApiTokenRow(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(ct);
    }

    /// <summary>Revokes one of a user's API tokens: requests with it get 401 from now on.</summary>
    public async Task<AccountResult> RevokeTokenAsync(string userId, int tokenId, CancellationToken ct = default)
    {
        await EnsureStillAdminAsync(ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var revoked = await db.ApiTokens.Where(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(t => t.SetProperty(x => x.RevokedAt, DateTimeOffset.UtcNow), ct);
        if (revoked == 0)
        {
            return AccountResult.Fail("That token does not exist or is already revoked.");
        }
        logger.LogWarning("Admin {AdminId} revoked API token {TokenId} of user {UserId}", currentUser.UserId, tokenId, userId);
        return AccountResult.Ok;
    }

    /// <summary>16 random letters and digits in four groups (about 80 bits): never on a common-password list.</summary>
    private static string TemporaryPassword()
    {
        const string alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
        var chars = System.Security.Cryptography.RandomNumberGenerator.GetItems<char>(alphabet, 16);
        return string.Join("-", chars.Chunk(4).Select(c => new string(c)));
    }

    private static string EscapeLike(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal)
         .Replace("%", "\\%", StringComparison.Ordinal)
         .Replace("_", "\\_", StringComparison.Ordinal);

    /// <summary>
    /// The session says admin, but another admin may have taken the role or disabled the account since; sessions
    /// notice that only at their next check. A change to accounts asks the database, so it is refused at once (a
    /// just-demoted admin cannot give themselves the role back).
    /// </summary>
    private async Task EnsureStillAdminAsync(CancellationToken ct = default)
    {
        currentUser.EnsureAdmin();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var access = await db.WriteAccessAsync(currentUser.UserId, [Roles.Admin], ct);
        if (access != WriteAccess.Allowed)
        {
            logger.LogWarning("Refused an account change by {UserId}: {Access}", currentUser.UserId, access);
            throw new ForbiddenException(access.Refusal("Admin", "nothing was changed"));
        }
    }
}

using System.ComponentModel.DataAnnotations;
using AiLandscape.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>
/// Start-up accounts: the roles, the first admin from AILANDSCAPE_ADMIN_EMAIL/AILANDSCAPE_ADMIN_PASSWORD, and in
/// Development only the three demo users. Idempotent; an advisory lock keeps instances starting together apart.
/// </summary>
public sealed class AccountSeeder(
    AppDbContext db,
    UserManager<AppUser> users,
    IUserStore<AppUser> userStore,
    RoleManager<IdentityRole> roles,
    IConfiguration configuration,
    IHostEnvironment environment,
    ILogger<AccountSeeder> logger)
{
    public const string AdminEmailVariable = "AILANDSCAPE_ADMIN_EMAIL";
    public const string AdminPasswordVariable = "AILANDSCAPE_ADMIN_PASSWORD";
    public const string DemoPasswordSetting = "Seed:DemoPassword";

    /// <summary>
    /// The demo admin's authenticator key (Base32), published like the demo password: admins must use two-factor
    /// sign-in, so in Development the demo admin has it on with this key (add it to an authenticator app, or compute
    /// the code as the tests do).
    /// </summary>
    public const string DemoAuthenticatorKeySetting = "Seed:DemoAuthenticatorKey";
    private const long AdvisoryLockKey = 0x41494C41434354; // "AILACCT"

    public static IReadOnlyList<DemoUser> DemoUsers { get; } =
    [
        new("admin@example.com", "Demo Admin", Roles.Admin),
        new("editor@example.com", "Demo Editor", Roles.Editor),
        new("analyst@example.com", "Demo Analyst", Roles.Analyst),
    ];

    public async Task EnsureAsync(CancellationToken ct = default)
    {
        await InLockAsync(async () =>
        {
            await EnsureRolesAsync();
            await EnsureFirstAdminFromSettingsAsync();
            if (environment.IsDevelopment())
            {
                await EnsureDemoUsersAsync();
            }
            else
            {
                await DisableDemoUsersAsync();
            }
        }, ct);

        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count == 0)
        {
            logger.LogWarning(
                "No admin account exists. Set {EmailVariable} and {PasswordVariable} and restart, or run " +
                "'dotnet run --project src/AiLandscape.Web -- create-admin --email <address> --password <password>'",
                AdminEmailVariable, AdminPasswordVariable);
        }
    }

    /// <summary>Creates the admin, or makes an existing account an admin (enabled, unlocked, with this password).</summary>
    public async Task<AdminResult> CreateOrPromoteAdminAsync(string email, string password, string? displayName, CancellationToken ct = default)
    {
        AdminResult result = new(false, "");
        await InLockAsync(async () =>
        {
            await EnsureRolesAsync();
            result = await CreateOrPromoteAdminCoreAsync(email, password, displayName, setPassword: true);
        }, ct);
        return result;
    }

    private async Task InLockAsync(Func<Task> work, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdvisoryLockKey})", ct);
            await work();
            await tx.CommitAsync(ct);
        });
    }

    private async Task EnsureRolesAsync()
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create the role {role}");
            }
        }
    }

    private async Task EnsureFirstAdminFromSettingsAsync()
    {
        var email = configuration[AdminEmailVariable];
        var password = configuration[AdminPasswordVariable];
        if (string.IsNullOrWhiteSpace(email) && string.IsNullOrEmpty(password))
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
        {
            throw new AccountSetupException($"Set both {AdminEmailVariable} and {AdminPasswordVariable} to create the first admin, or neither.");
        }
        if ((await users.GetUsersInRoleAsync(Roles.Admin)).Count > 0)
        {
            return; // The variables only bootstrap: later admins are managed in the app.
        }
        // An existing account keeps its password: the variables are not a way to reset one.
        var result = await CreateOrPromoteAdminCoreAsync(email.Trim(), password, displayName: null, setPassword: false);
        if (!result.Succeeded)
        {
            throw new AccountSetupException($"The first admin from {AdminEmailVariable} could not be created: {result.Message}");
        }
        logger.LogInformation("First admin account {Email}: {Outcome}", email, result.Message);
    }

    private async Task EnsureDemoUsersAsync()
    {
        var password = configuration[DemoPasswordSetting];
        if (string.IsNullOrEmpty(password))
        {
            logger.LogWarning("{Setting} is not set: no demo users were created", DemoPasswordSetting);
            return;
        }
        foreach (var demo in DemoUsers)
        {
            var user = await users.FindByEmailAsync(demo.Email);
            if (user is null)
            {
                user = new AppUser { UserName = demo.Email, Email = demo.Email, EmailConfirmed = true, DisplayName = demo.DisplayName };
                Check(await users.CreateAsync(user, password), $"create the demo user {demo.Email}");
                Check(await users.AddToRoleAsync(user, demo.Role), $"give {demo.Email} the role {demo.Role}");
                logger.LogInformation("Created demo user {Email} ({Role})", demo.Email, demo.Role);
            }
            if (demo.Role == Roles.Admin)
            {
                await EnsureDemoTwoFactorAsync(user);
            }
        }
    }

    /// <summary>Turns two-factor sign-in on for the demo admin with the published key (also on an older database).</summary>
    private async Task EnsureDemoTwoFactorAsync(AppUser user)
    {
        var key = configuration[DemoAuthenticatorKeySetting];
        if (string.IsNullOrWhiteSpace(key))
        {
            logger.LogWarning("{Setting} is not set: the demo admin has no two-factor sign-in and must set it up at first sign-in", DemoAuthenticatorKeySetting);
            return;
        }
        key = key.Trim().ToUpperInvariant();
        if (user.TwoFactorEnabled && await users.GetAuthenticatorKeyAsync(user) == key)
        {
            return;
        }
        await ((IUserAuthenticatorKeyStore<AppUser>)userStore).SetAuthenticatorKeyAsync(user, key, CancellationToken.None);
        Check(await users.SetTwoFactorEnabledAsync(user, true), $"turn on two-factor sign-in for {user.Email}");
        logger.LogInformation("Demo admin {Email} signs in with two-factor, key from {Setting}", user.Email, DemoAuthenticatorKeySetting);
    }

    /// <summary>
    /// Outside Development the demo accounts (published passwords) must not work, even on a database that a
    /// Development start created: they are disabled, their sessions end (new security stamp) and their API tokens
    /// stop with them. <see cref="AppSignInManager"/> refuses them at sign-in as well, should one be re-enabled.
    /// </summary>
    private async Task DisableDemoUsersAsync()
    {
        foreach (var demo in DemoUsers)
        {
            var user = await users.FindByEmailAsync(demo.Email);
            if (user is null || user.IsDisabled)
            {
                continue;
            }
            user.IsDisabled = true;
            Check(await users.UpdateAsync(user), $"disable the demo user {demo.Email}");
            Check(await users.UpdateSecurityStampAsync(user), $"end the sessions of the demo user {demo.Email}");
            logger.LogWarning("Disabled the demo user {Email}: demo accounts exist only in Development (environment: {Environment})",
                demo.Email, environment.EnvironmentName);
        }
    }

    /// <summary>True for the Development demo accounts, whose passwords are published.</summary>
    public static bool IsDemoEmail(string? email) =>
        email is not null && DemoUsers.Any(d => string.Equals(d.Email, email.Trim(), StringComparison.OrdinalIgnoreCase));

    private async Task<AdminResult> CreateOrPromoteAdminCoreAsync(string email, string password, string? displayName, bool setPassword)
    {
        if (!new EmailAddressAttribute().IsValid(email))
        {
            return new AdminResult(false, $"'{email}' is not an email address.");
        }
        var user = await users.FindByEmailAsync(email);
        var created = user is null;
        if (user is null)
        {
            user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
            var create = await users.CreateAsync(user, password);
            if (!create.Succeeded)
            {
                return new AdminResult(false, Describe(create));
            }
        }
        else
        {
            if (setPassword)
            {
                // Validate first, so that a weak password leaves the account as it was.
                foreach (var validator in users.PasswordValidators)
                {
                    var valid = await validator.ValidateAsync(users, user, password);
                    if (!valid.Succeeded)
                    {
                        return new AdminResult(false, Describe(valid));
                    }
                }
                if (await users.HasPasswordAsync(user))
                {
                    Check(await users.RemovePasswordAsync(user), "remove the old password");
                }
                Check(await users.AddPasswordAsync(user, password), "set the password");
            }
            user.IsDisabled = false;
            if (!string.IsNullOrWhiteSpace(displayName))
            {
                user.DisplayName = displayName;
            }
            Check(await users.UpdateAsync(user), "enable the account");
            Check(await users.SetLockoutEndDateAsync(user, null), "unlock the account");
            Check(await users.ResetAccessFailedCountAsync(user), "reset failed logins");
        }
        if (!await users.IsInRoleAsync(user, Roles.Admin))
        {
            Check(await users.AddToRoleAsync(user, Roles.Admin), "give the Admin role");
        }
        return new AdminResult(true, created ? "created" : "is now an admin");
    }

    public static string Describe(IdentityResult result) => string.Join(" ", result.Errors.Select(e => e.Description));

    private static void Check(IdentityResult result, string what)
    {
        if (!result.Succeeded)
        {
            throw new AccountSetupException($"Could not {what}: {Describe(result)}");
        }
    }
}

public sealed record DemoUser(string Email, string DisplayName, string Role);

public sealed record AdminResult(bool Succeeded, string Message);

/// <summary>Accounts could not be set up as configured; the message says what to fix.</summary>
public sealed class AccountSetupException(string message) : Exception(message);

using System.ComponentModel.DataAnnotations;

namespace AiLandscape.Web.Features.Accounts;

public sealed class LoginRequest
{
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    public string Password { get; set; } = "";

    public bool RememberMe { get; set; }
}

/// <summary>A login attempt's result: success, a code still to enter, or the one message the login page shows.</summary>
public sealed record LoginOutcome(bool Succeeded, string? Error, bool RequiresTwoFactor = false)
{
    /// <summary>
    /// The one answer to every failed sign-in (unknown email, wrong password, locked account), so that the form does
    /// not tell an attacker which emails have accounts.
    /// </summary>
    public const string IncorrectMessage = "Email or password is incorrect, or the account is locked for a while after too many failed attempts.";
    public const string DisabledMessage = "This account is disabled. Ask an administrator to enable it.";

    public static LoginOutcome Success { get; } = new(true, null);
    public static LoginOutcome Incorrect { get; } = new(false, IncorrectMessage);
    public static LoginOutcome Disabled { get; } = new(false, DisabledMessage);

    public const string ThrottledMessage = "Too many sign-in attempts. Wait a minute, then try again.";
    public static LoginOutcome Throttled { get; } = new(false, ThrottledMessage);

    /// <summary>The password was right; the authenticator code comes next (the login code page).</summary>
    public static LoginOutcome TwoFactor { get; } = new(false, null, RequiresTwoFactor: true);

    public const string WrongCodeMessage = "That code is not right. Enter the 6-digit code your authenticator app shows now (check the time on your phone), or one of your recovery codes.";
    public static LoginOutcome WrongCode { get; } = new(false, WrongCodeMessage);

    public const string CodeLockedMessage = "Too many wrong codes or passwords: the account is locked for a while. Try again later, or ask an administrator to unlock it.";
    public static LoginOutcome CodeLocked { get; } = new(false, CodeLockedMessage);

    public const string CodeExpiredMessage = "The sign-in took too long. Log in with your password again.";
    public static LoginOutcome CodeExpired { get; } = new(false, CodeExpiredMessage);
}

public sealed class LoginCodeRequest
{
    [Required(ErrorMessage = "Enter the code from your authenticator app, or a recovery code.")]
    [StringLength(32)]
    public string Code { get; set; } = "";

    public bool RememberMe { get; set; }
}

public sealed class ChangePasswordRequest
{
    [Required(ErrorMessage = "Enter your current password.")]
    [DataType(DataType.Password)]
    public string CurrentPassword { get; set; } = "";

    [Required(ErrorMessage = "Enter a new password.")]
    [StringLength(100, MinimumLength = AccountsSetup.MinPasswordLength, ErrorMessage = "The new password must be at least {2} characters long.")]
    [DataType(DataType.Password)]
    public string NewPassword { get; set; } = "";

    [Required(ErrorMessage = "Repeat the new password.")]
    [Compare(nameof(NewPassword), ErrorMessage = "The two new passwords do not match.")]
    [DataType(DataType.Password)]
    public string ConfirmPassword { get; set; } = "";
}

/// <summary>The outcome of an account change: success, or messages to show (naming the field where there is one).</summary>
public sealed record AccountResult(bool Succeeded, IReadOnlyList<string> Errors)
{
    public static AccountResult Ok { get; } = new(true, []);
    public static AccountResult Fail(params string[] errors) => new(false, errors);
    public static AccountResult From(Microsoft.AspNetCore.Identity.IdentityResult result) =>
        result.Succeeded ? Ok : new(false, result.Errors.Select(e => e.Description).ToList());
}

/// <summary>One account as the admin's user list shows it.</summary>
public sealed record UserRow(
    string Id,
    string Email,
    string? DisplayName,
    IReadOnlyList<string> Roles,
    bool IsDisabled,
    DateTimeOffset? LockedUntil,
    bool TwoFactorEnabled = false,
    bool MustChangePassword = false);

public sealed record UserQuery(string? Search = null, int Page = 0, int PageSize = 25, string? SortBy = null, bool Descending = false);

public sealed record UserPage(IReadOnlyList<UserRow> Items, int Total);

public sealed class CreateUserRequest
{
    [Required(ErrorMessage = "Enter the email address.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [StringLength(256)]
    [Editing.TextRules.PlainText("Email")]
    public string Email { get; set; } = "";

    [StringLength(100, ErrorMessage = "The display name can have at most {1} characters.")]
    [Editing.TextRules.PlainText("Display name")]
    public string? DisplayName { get; set; }

    [Required(ErrorMessage = "Enter an initial password.")]
    [StringLength(100, MinimumLength = AccountsSetup.MinPasswordLength, ErrorMessage = "The password must be at least {2} characters long.")]
    public string Password { get; set; } = "";

    /// <summary>Any of <see cref="Accounts.Roles.All"/>; none is allowed (the account can then only read).</summary>
    public List<string> Roles { get; set; } = [Accounts.Roles.Analyst];
}

/// <summary>GET /api/account/me.</summary>
public sealed record MeResponse(string UserId, string UserName, string? DisplayName, IReadOnlyList<string> Roles, bool CanEdit, bool IsAdmin);

/// <summary>An admin's password reset: the temporary password, shown to the admin once.</summary>
public sealed record PasswordResetResult(bool Succeeded, string? Error, string? TemporaryPassword);

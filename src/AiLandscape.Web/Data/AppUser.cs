using Microsoft.AspNetCore.Identity;

namespace AiLandscape.Web.Data;

public class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }
    public bool IsDisabled { get; set; }

    /// <summary>
    /// The password was set by an admin (a new account or a reset): until the user picks their own, every page sends
    /// them to the change-password page and writes are refused.
    /// </summary>
    public bool MustChangePassword { get; set; }
}

using Microsoft.AspNetCore.Identity;

namespace AiLandscape.Web.Data;

public class AppUser : IdentityUser
{
    public string? DisplayName { get; set; }
    public bool IsDisabled { get; set; }
}

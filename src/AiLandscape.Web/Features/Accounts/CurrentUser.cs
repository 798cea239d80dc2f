using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace AiLandscape.Web.Features.Accounts;

/// <summary>
/// The signed-in user of this request or Blazor circuit, for services to check before they write.
/// In a circuit the authentication state provider is the truth (it is revalidated, and HttpContext there is the
/// stale one of the SignalR connection, if any); in minimal API endpoints and other plain HTTP code the provider has
/// no state, so the request's HttpContext.User is used.
/// </summary>
public sealed class CurrentUser(IHttpContextAccessor httpContextAccessor, AuthenticationStateProvider? authenticationStateProvider = null)
{
    public const string DisplayNameClaim = "display_name";

    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    public ClaimsPrincipal Principal => FromAuthenticationState() ?? httpContextAccessor.HttpContext?.User ?? Anonymous;

    public bool IsAuthenticated => Principal.Identity?.IsAuthenticated == true;

    /// <summary>The AspNetUsers id, or null when anonymous.</summary>
    public string? UserId => IsAuthenticated ? Principal.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    /// <summary>The login name (the email address), or null when anonymous.</summary>
    public string? UserName => IsAuthenticated ? Principal.Identity?.Name : null;

    /// <summary>The name to show: the display name when the account has one, else the login name.</summary>
    public string? DisplayName => IsAuthenticated ? DisplayNameOf(Principal) : null;

    public bool IsInRole(string role) => IsAuthenticated && Principal.IsInRole(role);

    public bool CanEdit => IsInRole(Roles.Editor) || IsInRole(Roles.Admin);

    public bool IsAdmin => IsInRole(Roles.Admin);

    /// <summary>Call before every write to the dataset: editors and admins only.</summary>
    public void EnsureCanEdit()
    {
        if (!CanEdit)
        {
            throw new ForbiddenException(IsAuthenticated
                ? "Only editors and admins can change data."
                : "Log in as an editor to change data.");
        }
    }

    /// <summary>Call before every account or role change: admins only.</summary>
    public void EnsureAdmin()
    {
        if (!IsAdmin)
        {
            throw new ForbiddenException(IsAuthenticated
                ? "Only admins can manage accounts."
                : "Log in as an admin to manage accounts.");
        }
    }

    public static string? DisplayNameOf(ClaimsPrincipal user) =>
        user.FindFirstValue(DisplayNameClaim) is { Length: > 0 } name ? name : user.Identity?.Name;

    private ClaimsPrincipal? FromAuthenticationState()
    {
        if (authenticationStateProvider is null)
        {
            return null;
        }
        Task<AuthenticationState> state;
        try
        {
            state = authenticationStateProvider.GetAuthenticationStateAsync();
        }
        catch (InvalidOperationException)
        {
            // Outside Razor components (minimal APIs, middleware) nobody has set the state: use HttpContext.
            return null;
        }
        // The server-side provider always holds a completed task (set per request, or per revalidation in a
        // circuit). An unfinished one would mean a custom provider: deny rather than block the thread.
        return state.IsCompletedSuccessfully ? state.Result.User : Anonymous;
    }
}

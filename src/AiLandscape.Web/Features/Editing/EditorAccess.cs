using System.Security.Claims;
using AiLandscape.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace AiLandscape.Web.Features.Editing;

/// <summary>
/// Whether the circuit's user may edit (<see cref="Policies.CanEdit"/>), decided once per signed-in user rather than
/// by an &lt;AuthorizeView&gt; beside every edit button: a profile shows a hundred of them, and each AuthorizeView is a
/// component holding its own render tree and authorization services for as long as the page is open. Asked again
/// when the authentication state hands over a different user (a sign-out revalidated by the server). Showing the
/// buttons is a convenience only: every edit page and service checks the role again on the server.
/// </summary>
public sealed class EditorAccess(IAuthorizationService authorization)
{
    private ClaimsPrincipal? _user;
    private bool _canEdit;

    public async Task<bool> CanEditAsync(Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? state)
    {
        if (state is null)
        {
            return false;
        }
        var user = (await state).User;
        if (!ReferenceEquals(user, _user))
        {
            _canEdit = (await authorization.AuthorizeAsync(user, Policies.CanEdit)).Succeeded;
            _user = user;
        }
        return _canEdit;
    }
}

using System.Security.Claims;
using AiLandscape.Web.Features.Accounts;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Http;

namespace AiLandscape.Tests.Features.Accounts;

public class CurrentUserTests
{
    [Theory]
    [InlineData(null, false, false)]
    [InlineData(Roles.Analyst, false, false)]
    [InlineData(Roles.Editor, true, false)]
    [InlineData(Roles.Admin, true, true)]
    public void Editing_needs_the_editor_or_admin_role_and_accounts_the_admin_role(string? role, bool canEdit, bool isAdmin)
    {
        var user = new CurrentUser(Http(Principal(role)));

        Assert.Equal(canEdit, user.CanEdit);
        if (canEdit)
        {
            user.EnsureCanEdit();
        }
        else
        {
            var refused = Assert.Throws<ForbiddenException>(user.EnsureCanEdit);
            Assert.Contains(role is null ? "Log in" : "Only editors and admins", refused.Message);
        }
        if (isAdmin)
        {
            user.EnsureAdmin();
        }
        else
        {
            Assert.Throws<ForbiddenException>(user.EnsureAdmin);
        }
    }

    [Fact]
    public void It_names_the_user()
    {
        var user = new CurrentUser(Http(Principal(Roles.Editor)));

        Assert.True(user.IsAuthenticated);
        Assert.Equal("user-1", user.UserId);
        Assert.Equal("someone@example.com", user.UserName);
        Assert.Equal("Some One", user.DisplayName);
        Assert.True(user.IsInRole(Roles.Editor));
        Assert.False(user.IsInRole(Roles.Admin));
    }

    [Fact]
    public void An_anonymous_user_has_no_id_and_no_roles()
    {
        var user = new CurrentUser(new HttpContextAccessor());

        Assert.False(user.IsAuthenticated);
        Assert.Null(user.UserId);
        Assert.Null(user.UserName);
        Assert.False(user.IsInRole(Roles.Analyst));
        Assert.Throws<ForbiddenException>(user.EnsureCanEdit);
    }

    [Fact]
    public void In_a_circuit_the_authentication_state_wins_over_the_stale_http_context()
    {
        // The circuit's state turned anonymous (session revalidation failed) while the connection's HttpContext
        // still carries the editor who opened it.
        var provider = new ServerAuthenticationStateProvider();
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));
        var user = new CurrentUser(Http(Principal(Roles.Editor)), provider);

        Assert.False(user.IsAuthenticated);
        Assert.Throws<ForbiddenException>(user.EnsureCanEdit);
    }

    [Fact]
    public void Outside_components_the_request_user_is_used()
    {
        // Minimal API endpoints: the provider was never given a state.
        var user = new CurrentUser(Http(Principal(Roles.Admin)), new ServerAuthenticationStateProvider());

        Assert.True(user.IsAdmin);
        user.EnsureAdmin();
    }

    private static HttpContextAccessor Http(ClaimsPrincipal principal) =>
        new() { HttpContext = new DefaultHttpContext { User = principal } };

    private static ClaimsPrincipal Principal(string? role)
    {
        if (role is null)
        {
            return new ClaimsPrincipal(new ClaimsIdentity());
        }
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.NameIdentifier, "user-1"),
            new Claim(ClaimTypes.Name, "someone@example.com"),
            new Claim(CurrentUser.DisplayNameClaim, "Some One"),
            new Claim(ClaimTypes.Role, role),
        ], "Identity.Application");
        return new ClaimsPrincipal(identity);
    }
}

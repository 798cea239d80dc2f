using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;

namespace AiLandscape.Tests.Features.Accounts;

/// <summary>The admin's account operations on the real app's services, as a circuit signed in as each user.</summary>
public class UserAdminServiceTests : IAsyncLifetime
{
    private AppFactory _app = null!;

    public async Task InitializeAsync()
    {
        var pg = await TestPostgres.GetAsync();
        _app = new AppFactory(await pg.CreateDatabaseAsync("user_admin"));
        _ = _app.Services; // start: migrations are done, accounts seeded
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_list_shows_roles_and_status_with_search_and_paging()
    {
        await using var scope = await AsAsync("admin@example.com");
        var service = scope.ServiceProvider.GetRequiredService<UserAdminService>();

        var all = await service.ListAsync(new UserQuery());
        Assert.True(all.Total >= 3);
        var editor = Assert.Single(all.Items, u => u.Email == "editor@example.com");
        Assert.Equal([Roles.Editor], editor.Roles);
        Assert.Equal("Demo Editor", editor.DisplayName);
        Assert.False(editor.IsDisabled);
        Assert.Null(editor.LockedUntil);

        var found = await service.ListAsync(new UserQuery(Search: "analyst"));
        Assert.Equal(["analyst@example.com"], found.Items.Select(u => u.Email));
        var byName = await service.ListAsync(new UserQuery(Search: "demo ed"));
        Assert.Equal(["editor@example.com"], byName.Items.Select(u => u.Email));

        var page = await service.ListAsync(new UserQuery(Page: 1, PageSize: 2));
        Assert.Equal(all.Total, page.Total);
        Assert.Equal(all.Items.Skip(2).Take(2).Select(u => u.Id), page.Items.Select(u => u.Id));
    }

    [Fact]
    public async Task An_admin_creates_a_user_with_roles_and_bad_input_is_refused_with_a_clear_message()
    {
        await using var scope = await AsAsync("admin@example.com");
        var service = scope.ServiceProvider.GetRequiredService<UserAdminService>();

        var created = await service.CreateAsync(new CreateUserRequest
        {
            Email = " new.editor@example.org ", DisplayName = "New Editor", Password = "Initial-Password-1",
            Roles = [Roles.Editor, Roles.Analyst],
        });
        Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        var row = Assert.Single((await service.ListAsync(new UserQuery(Search: "new.editor"))).Items);
        Assert.Equal([Roles.Editor, Roles.Analyst], row.Roles);
        Assert.Equal("New Editor", row.DisplayName);

        var duplicate = await service.CreateAsync(new CreateUserRequest { Email = "new.editor@example.org", Password = "Initial-Password-1" });
        Assert.Equal(["An account with the email new.editor@example.org already exists."], duplicate.Errors);
        var weak = await service.CreateAsync(new CreateUserRequest { Email = "weak@example.org", Password = "qwerty123456" });
        Assert.False(weak.Succeeded);
        Assert.Contains(CommonPasswordValidator.Message, weak.Errors);
        // Twelve lower-case letters that are not a common password are fine: no composition rules.
        var plain = await service.CreateAsync(new CreateUserRequest { Email = "plain@example.org", Password = "correcthorsebattery" });
        Assert.True(plain.Succeeded, string.Join(" ", plain.Errors));
        var badEmail = await service.CreateAsync(new CreateUserRequest { Email = "not-an-email", Password = "Initial-Password-1" });
        Assert.Equal(["Enter a valid email address."], badEmail.Errors);
        var badRole = await service.CreateAsync(new CreateUserRequest { Email = "role@example.org", Password = "Initial-Password-1", Roles = ["Owner"] });
        Assert.Equal(["Unknown role: Owner."], badRole.Errors);
        Assert.Empty((await service.ListAsync(new UserQuery(Search: "weak@"))).Items);
    }

    [Fact]
    public async Task Roles_are_granted_and_removed_and_removing_one_ends_the_users_sessions()
    {
        await using var scope = await AsAsync("admin@example.com");
        var service = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        var analyst = await UserAsync("analyst@example.com");

        Assert.True((await service.SetRoleAsync(analyst.Id, Roles.Editor, member: true)).Succeeded);
        Assert.Equal([Roles.Editor, Roles.Analyst], (await UserRowAsync(service, "analyst@example.com")).Roles);
        Assert.Equal(analyst.SecurityStamp, (await UserAsync("analyst@example.com")).SecurityStamp);

        Assert.True((await service.SetRoleAsync(analyst.Id, Roles.Editor, member: false)).Succeeded);
        Assert.Equal([Roles.Analyst], (await UserRowAsync(service, "analyst@example.com")).Roles);
        Assert.NotEqual(analyst.SecurityStamp, (await UserAsync("analyst@example.com")).SecurityStamp);

        Assert.Equal(["Unknown role: Owner."], (await service.SetRoleAsync(analyst.Id, "Owner", member: true)).Errors);
    }

    [Fact]
    public async Task An_admin_cannot_lock_themselves_out()
    {
        await using var scope = await AsAsync("admin@example.com");
        var service = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        var admin = await UserAsync("admin@example.com");

        Assert.False((await service.SetRoleAsync(admin.Id, Roles.Admin, member: false)).Succeeded);
        Assert.False((await service.SetDisabledAsync(admin.Id, disabled: true)).Succeeded);
        Assert.Equal([Roles.Admin], (await UserRowAsync(service, "admin@example.com")).Roles);
    }

    [Fact]
    public async Task Disabling_renews_the_security_stamp_and_enabling_lets_the_user_back()
    {
        await using var scope = await AsAsync("admin@example.com");
        var service = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        var editor = await UserAsync("editor@example.com");

        Assert.True((await service.SetDisabledAsync(editor.Id, disabled: true)).Succeeded);
        var disabled = await UserAsync("editor@example.com");
        Assert.True(disabled.IsDisabled);
        Assert.NotEqual(editor.SecurityStamp, disabled.SecurityStamp);
        Assert.True((await UserRowAsync(service, "editor@example.com")).IsDisabled);

        Assert.True((await service.SetDisabledAsync(editor.Id, disabled: false)).Succeeded);
        Assert.False((await UserAsync("editor@example.com")).IsDisabled);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("analyst@example.com")]
    [InlineData("editor@example.com")]
    public async Task Only_admins_may_list_or_change_accounts(string? email)
    {
        await using var scope = await AsAsync(email);
        var service = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        var analyst = await UserAsync("analyst@example.com");

        await Assert.ThrowsAsync<ForbiddenException>(() => service.ListAsync(new UserQuery()));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.CreateAsync(new CreateUserRequest { Email = "x@example.org", Password = "Initial-Password-1" }));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.SetRoleAsync(analyst.Id, Roles.Admin, member: true));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.SetDisabledAsync(analyst.Id, disabled: true));
        await Assert.ThrowsAsync<ForbiddenException>(() => service.UnlockAsync(analyst.Id));
        Assert.DoesNotContain(Roles.Admin, (await UserRowAsAdminAsync("analyst@example.com")).Roles);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("analyst@example.com", false)]
    [InlineData("editor@example.com", true)]
    [InlineData("admin@example.com", true)]
    public async Task Ensure_can_edit_follows_the_signed_in_users_roles(string? email, bool allowed)
    {
        await using var scope = await AsAsync(email);
        var currentUser = scope.ServiceProvider.GetRequiredService<CurrentUser>();

        if (allowed)
        {
            currentUser.EnsureCanEdit();
        }
        else
        {
            Assert.Throws<ForbiddenException>(currentUser.EnsureCanEdit);
        }
    }

    [Fact]
    public async Task A_circuit_of_a_disabled_user_or_one_who_lost_a_role_fails_revalidation()
    {
        await using var scope = await AsAsync("admin@example.com");
        var service = scope.ServiceProvider.GetRequiredService<UserAdminService>();
        var revalidation = (AccountsRevalidatingAuthenticationStateProvider)scope.ServiceProvider
            .GetRequiredService<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider>();
        await using var other = _app.Services.CreateAsyncScope();
        var editorCircuit = await AccountHttp.PrincipalOfAsync(other.ServiceProvider, "editor@example.com");
        var analystCircuit = await AccountHttp.PrincipalOfAsync(other.ServiceProvider, "analyst@example.com");
        var editor = await UserAsync("editor@example.com");
        var analyst = await UserAsync("analyst@example.com");
        Assert.True(await revalidation.IsStillValidAsync(editorCircuit));
        Assert.True(await revalidation.IsStillValidAsync(analystCircuit));

        try
        {
            Assert.True((await service.SetDisabledAsync(editor.Id, disabled: true)).Succeeded);
            Assert.True((await service.SetRoleAsync(analyst.Id, Roles.Editor, member: true)).Succeeded);
            Assert.False(await revalidation.IsStillValidAsync(editorCircuit));
            Assert.True(await revalidation.IsStillValidAsync(analystCircuit), "granting a role keeps the session");

            Assert.True((await service.SetRoleAsync(analyst.Id, Roles.Editor, member: false)).Succeeded);
            Assert.False(await revalidation.IsStillValidAsync(analystCircuit));
        }
        finally
        {
            await service.SetDisabledAsync(editor.Id, disabled: false);
        }
    }

    [Fact]
    public async Task A_just_demoted_admin_cannot_give_themselves_the_role_back_from_an_open_session()
    {
        await using (var setup = await AsAsync("admin@example.com"))
        {
            var created = await setup.ServiceProvider.GetRequiredService<UserAdminService>().CreateAsync(new CreateUserRequest
            {
                Email = "second.admin@example.org", Password = "Second-Admin-Password-1", Roles = [Roles.Admin],
            });
            Assert.True(created.Succeeded, string.Join(" ", created.Errors));
        }
        // The second admin's circuit was signed in while they were an admin...
        await using var demoted = await AsAsync("second.admin@example.org");
        var service = demoted.ServiceProvider.GetRequiredService<UserAdminService>();
        var self = await UserAsync("second.admin@example.org");
        // ...then the first admin takes the role away.
        await using (var first = await AsAsync("admin@example.com"))
        {
            var removed = await first.ServiceProvider.GetRequiredService<UserAdminService>().SetRoleAsync(self.Id, Roles.Admin, member: false);
            Assert.True(removed.Succeeded, string.Join(" ", removed.Errors));
        }

        var refused = await Assert.ThrowsAsync<ForbiddenException>(() => service.SetRoleAsync(self.Id, Roles.Admin, member: true));
        Assert.Contains("no longer has the Admin role", refused.Message);
        Assert.Empty((await UserRowAsAdminAsync("second.admin@example.org")).Roles);
    }

    /// <summary>A scope that behaves like a Blazor circuit signed in as <paramref name="email"/> (null: anonymous).</summary>
    private async Task<AsyncServiceScope> AsAsync(string? email)
    {
        var scope = _app.Services.CreateAsyncScope();
        AccountHttp.SignInCircuit(scope.ServiceProvider, email is null
            ? new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity())
            : await AccountHttp.PrincipalOfAsync(scope.ServiceProvider, email));
        return scope;
    }

    private async Task<AppUser> UserAsync(string email)
    {
        await using var scope = _app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email)
            ?? throw new InvalidOperationException(email);
    }

    private static async Task<UserRow> UserRowAsync(UserAdminService service, string email) =>
        Assert.Single((await service.ListAsync(new UserQuery(Search: email))).Items);

    private async Task<UserRow> UserRowAsAdminAsync(string email)
    {
        await using var scope = await AsAsync("admin@example.com");
        return await UserRowAsync(scope.ServiceProvider.GetRequiredService<UserAdminService>(), email);
    }
}

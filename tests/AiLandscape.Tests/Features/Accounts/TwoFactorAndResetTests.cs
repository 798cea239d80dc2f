using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.ApiTokens;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Editing;
using Microsoft.AspNetCore.Identity;

namespace AiLandscape.Tests.Features.Accounts;

/// <summary>
/// Two-factor sign-in (authenticator codes and recovery codes), the two-factor requirement for admins (and, by a
/// setting, editors), admin password resets with a change at first sign-in, and admins revoking a user's API tokens:
/// over HTTP as a browser without JavaScript, and through the services as a Blazor circuit.
/// </summary>
public partial class TwoFactorAndResetTests
{
    private const string Admin = "admin@example.com";
    private const string Editor = "editor@example.com";

    [Fact]
    public async Task An_admin_with_two_factor_needs_a_valid_code_after_the_password_and_wrong_codes_lock_the_account()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("twofactor_signin"));
        using var client = AccountHttp.Client(app);

        var password = await AccountHttp.PasswordStepAsync(client, Admin, AccountHttp.DemoPassword, returnUrl: "/admin/users");
        Assert.True(AccountHttp.IsCodeStep(password), $"the right password answered {(int)password.StatusCode} {password.Headers.Location}");
        // The password alone is no session.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);

        var wrong = await AccountHttp.CodeStepAsync(client, password, Totp.WrongCode(Totp.DemoAdminKey));
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Equal(LoginOutcome.WrongCodeMessage, AccountHttp.ErrorOf(await wrong.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);

        var right = await AccountHttp.CodeStepAsync(client, password, Totp.Code(Totp.DemoAdminKey));
        Assert.Equal(HttpStatusCode.Found, right.StatusCode);
        Assert.Equal("/admin/users", AccountHttp.PathOf(right.Headers.Location));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/users")).StatusCode);

        // Wrong codes count towards the lockout like wrong passwords: five lock the account, even against the right code.
        using var attacker = AccountHttp.Client(app);
        var step = await AccountHttp.PasswordStepAsync(attacker, Admin, AccountHttp.DemoPassword);
        string? last = null;
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            last = AccountHttp.ErrorOf(await (await AccountHttp.CodeStepAsync(attacker, step, Totp.WrongCode(Totp.DemoAdminKey))).Content.ReadAsStringAsync());
        }
        Assert.Equal(LoginOutcome.CodeLockedMessage, last);
        var refused = await AccountHttp.CodeStepAsync(attacker, step, Totp.Code(Totp.DemoAdminKey));
        Assert.Equal(LoginOutcome.CodeLockedMessage, AccountHttp.ErrorOf(await refused.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await attacker.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task An_authenticator_code_signs_in_once_and_the_same_code_sent_again_is_refused()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("twofactor_replay"));
        const string email = "replay.editor@example.org", password = "Replay-Editor-Password-1";
        await CreateUserAsync(app, email, password, Roles.Editor);
        string key;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync(email))!;
            await users.ResetAuthenticatorKeyAsync(user);
            key = (await users.GetAuthenticatorKeyAsync(user))!;
            await users.SetTwoFactorEnabledAsync(user, true);
        }

        var code = await Totp.FreshCodeAsync(key);
        using var owner = AccountHttp.Client(app);
        var signedIn = await AccountHttp.CodeStepAsync(owner, await AccountHttp.PasswordStepAsync(owner, email, password), code);
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/account/me")).StatusCode);

        // Someone who has the password and saw the code (over a shoulder, or a phishing page passing it on) sends it
        // again within its 90 seconds: refused like a wrong code.
        using var replay = AccountHttp.Client(app);
        var step = await AccountHttp.PasswordStepAsync(replay, email, password);
        var again = await AccountHttp.CodeStepAsync(replay, step, code);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(LoginOutcome.WrongCodeMessage, AccountHttp.ErrorOf(await again.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/account/me")).StatusCode);

        // The next code the app shows signs in.
        var next = await AccountHttp.CodeStepAsync(replay, step, await Totp.FreshCodeAsync(key));
        Assert.Equal(HttpStatusCode.Found, next.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await replay.GetAsync("/api/account/me")).StatusCode);

        // The phone is lost: an admin resets two-factor sign-in. The sessions end, the old key and recovery codes are
        // gone, and the password alone signs in again (an editor need not have two-factor here).
        await using (var admin = app.Services.CreateAsyncScope())
        {
            AccountHttp.SignInCircuit(admin.ServiceProvider, await AccountHttp.PrincipalOfAsync(admin.ServiceProvider, Admin));
            var users = admin.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var id = (await users.FindByEmailAsync(email))!.Id;
            var service = admin.ServiceProvider.GetRequiredService<UserAdminService>();
            Assert.True((await service.ResetTwoFactorAsync(id)).Succeeded);
            Assert.False(Assert.Single((await service.ListAsync(new UserQuery("replay.editor"))).Items).TwoFactorEnabled);
            var user = (await users.FindByIdAsync(id))!;
            Assert.Equal(0, await users.CountRecoveryCodesAsync(user));
            Assert.NotEqual(key, await users.GetAuthenticatorKeyAsync(user));
            // An admin cannot reset their own: they would bypass the second factor of their own account.
            Assert.False((await service.ResetTwoFactorAsync((await users.FindByEmailAsync(Admin))!.Id)).Succeeded);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await owner.GetAsync("/api/account/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await replay.GetAsync("/api/account/me")).StatusCode);
        using var afterReset = AccountHttp.Client(app);
        var passwordOnly = await AccountHttp.PasswordStepAsync(afterReset, email, password);
        Assert.Equal(HttpStatusCode.Found, passwordOnly.StatusCode);
        Assert.False(AccountHttp.IsCodeStep(passwordOnly));
        Assert.Equal(HttpStatusCode.OK, (await afterReset.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("twofactor_recovery"));
        string recovery;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var admin = (await users.FindByEmailAsync(Admin))!;
            recovery = (await users.GenerateNewTwoFactorRecoveryCodesAsync(admin, 10))!.First();
        }

        using var first = AccountHttp.Client(app);
        // Typed in lower case and without the hyphen: still the code.
        var signedIn = await AccountHttp.CodeStepAsync(first, await AccountHttp.PasswordStepAsync(first, Admin, AccountHttp.DemoPassword),
            recovery.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant());
        Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/account/me")).StatusCode);

        using var second = AccountHttp.Client(app);
        var again = await AccountHttp.CodeStepAsync(second, await AccountHttp.PasswordStepAsync(second, Admin, AccountHttp.DemoPassword), recovery);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(LoginOutcome.WrongCodeMessage, AccountHttp.ErrorOf(await again.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task An_admin_without_two_factor_is_sent_to_set_it_up_and_cannot_manage_accounts_until_then()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("twofactor_required"));
        await CreateUserAsync(app, "new.admin@example.org", "New-Admin-Password-1", Roles.Admin);
        using var client = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(client, "new.admin@example.org", "New-Admin-Password-1");

        foreach (var path in new[] { "/admin/users", "/", "/account/tokens" })
        {
            var page = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Found, page.StatusCode);
            Assert.Equal($"/account/two-factor?returnUrl={Uri.EscapeDataString(path)}", AccountHttp.PathOf(page.Headers.Location));
        }
        // The service refuses too, whatever the page shows: a circuit signed in as this admin.
        await using (var circuit = app.Services.CreateAsyncScope())
        {
            AccountHttp.SignInCircuit(circuit.ServiceProvider, await AccountHttp.PrincipalOfAsync(circuit.ServiceProvider, "new.admin@example.org"));
            var service = circuit.ServiceProvider.GetRequiredService<UserAdminService>();
            var refused = await Assert.ThrowsAsync<ForbiddenException>(() => service.ListAsync(new UserQuery()));
            Assert.Contains("two-factor", refused.Message);
            await Assert.ThrowsAsync<ForbiddenException>(() => service.SetDisabledAsync(EditorId(app), true));
            await Assert.ThrowsAsync<ForbiddenException>(() => circuit.ServiceProvider.GetRequiredService<CompanyEditService>().SaveAsync(NewCompany("twofactor-admin")));
        }

        // Set up on the page: the key from the page in an "app", a code from it, then ten recovery codes shown once.
        var setup = await client.GetStringAsync("/account/two-factor");
        Assert.Contains("data-testid=\"two-factor-required\"", setup);
        var key = Regex.Match(setup, "data-testid=\"two-factor-key\"[^>]*>([^<]+)<").Groups[1].Value.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        Assert.Matches("^[A-Z2-7]{32}$", key);
        Assert.Contains($"otpauth://totp/AiLandscape:new.admin%40example.org?secret={key}", WebUtility.HtmlDecode(setup));

        var wrong = await PostFormAsync(client, "/account/two-factor", setup, "two-factor-enable", new() { ["Enable.Code"] = Totp.WrongCode(key) });
        Assert.Contains(WebUtility.HtmlEncode(LoginOutcome.WrongCodeMessage), await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Found, (await client.GetAsync("/admin/users")).StatusCode);

        var enabled = await PostFormAsync(client, "/account/two-factor", await client.GetStringAsync("/account/two-factor"), "two-factor-enable",
            new() { ["Enable.Code"] = await Totp.FreshCodeAsync(key) });
        var codes = RecoveryCode().Matches(await enabled.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, codes.Distinct().Count());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/users")).StatusCode);
        Assert.DoesNotContain(codes[0], await client.GetStringAsync("/account/two-factor"));

        // The next sign-in asks for the code.
        using var next = AccountHttp.Client(app);
        Assert.True(AccountHttp.IsCodeStep(await AccountHttp.PasswordStepAsync(next, "new.admin@example.org", "New-Admin-Password-1")));
    }

    [Fact]
    public async Task Turning_two_factor_off_needs_a_code_and_new_recovery_codes_replace_the_old()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("twofactor_manage"));
        using var client = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(client, Admin);

        var page = await client.GetStringAsync("/account/two-factor");
        Assert.Contains("data-testid=\"two-factor-on\"", page);
        var refused = await PostFormAsync(client, "/account/two-factor", page, "two-factor-manage",
            new() { ["Manage.Code"] = Totp.WrongCode(Totp.DemoAdminKey), ["Manage.Action"] = "disable" });
        Assert.Contains(WebUtility.HtmlEncode(LoginOutcome.WrongCodeMessage), await refused.Content.ReadAsStringAsync());

        var renewed = await PostFormAsync(client, "/account/two-factor", await client.GetStringAsync("/account/two-factor"), "two-factor-manage",
            new() { ["Manage.Code"] = Totp.Code(Totp.DemoAdminKey), ["Manage.Action"] = "codes" });
        Assert.Equal(10, RecoveryCode().Matches(await renewed.Content.ReadAsStringAsync()).Count);

        var off = await PostFormAsync(client, "/account/two-factor", await client.GetStringAsync("/account/two-factor"), "two-factor-manage",
            new() { ["Manage.Code"] = Totp.Code(Totp.DemoAdminKey), ["Manage.Action"] = "disable" });
        Assert.Equal(HttpStatusCode.Found, off.StatusCode);
        // An admin without two-factor is sent straight back to set it up (with a new key).
        var admin = await client.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Found, admin.StatusCode);
        Assert.StartsWith("/account/two-factor", AccountHttp.PathOf(admin.Headers.Location));
        var setup = await client.GetStringAsync("/account/two-factor");
        Assert.DoesNotContain(TwoFactorService.FormatKey(Totp.DemoAdminKey), setup);
    }

    [Fact]
    public async Task A_setting_requires_two_factor_for_editors_and_refuses_their_writes_until_set_up()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("twofactor_editors"),
            settings: new() { ["Accounts:RequireTwoFactorForEditors"] = "true" });
        using var client = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(client, Editor);
        var page = await client.GetAsync("/companies");
        Assert.Equal(HttpStatusCode.Found, page.StatusCode);
        Assert.StartsWith("/account/two-factor", AccountHttp.PathOf(page.Headers.Location));

        await using var circuit = app.Services.CreateAsyncScope();
        AccountHttp.SignInCircuit(circuit.ServiceProvider, await AccountHttp.PrincipalOfAsync(circuit.ServiceProvider, Editor));
        await Assert.ThrowsAsync<ForbiddenException>(() => circuit.ServiceProvider.GetRequiredService<CompanyEditService>().SaveAsync(NewCompany("twofactor-editor")));
        // The API too, with a token.
        var token = (await circuit.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("script", 30)).Created!.Token;
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var write = await api.PostAsync("/api/v1/companies", System.Net.Http.Json.JsonContent.Create(NewCompany("twofactor-api")));
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
    }

    [Fact]
    public async Task A_password_reset_by_an_admin_must_be_changed_before_anything_else()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("password_reset"));
        using var editorSession = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(editorSession, Editor);

        PasswordResetResult reset;
        await using (var admin = app.Services.CreateAsyncScope())
        {
            AccountHttp.SignInCircuit(admin.ServiceProvider, await AccountHttp.PrincipalOfAsync(admin.ServiceProvider, Admin));
            reset = await admin.ServiceProvider.GetRequiredService<UserAdminService>().ResetPasswordAsync(EditorId(app));
        }
        Assert.True(reset.Succeeded, reset.Error);
        Assert.Matches("^[a-z2-9]{4}(-[a-z2-9]{4}){3}$", reset.TemporaryPassword);
        // The editor's open session ended, and the old password no longer works.
        Assert.Equal(HttpStatusCode.Unauthorized, (await editorSession.GetAsync("/api/account/me")).StatusCode);
        using var client = AccountHttp.Client(app);
        Assert.Equal(LoginOutcome.IncorrectMessage, AccountHttp.ErrorOf(await (await AccountHttp.LoginAsync(client, Editor, AccountHttp.DemoPassword)).Content.ReadAsStringAsync()));

        await AccountHttp.LoginOrFailAsync(client, Editor, reset.TemporaryPassword!);
        foreach (var path in new[] { "/", "/companies", "/account/tokens", "/account/two-factor" })
        {
            var page = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Found, page.StatusCode);
            Assert.StartsWith("/account/change-password?returnUrl=", AccountHttp.PathOf(page.Headers.Location));
        }
        await using (var circuit = app.Services.CreateAsyncScope())
        {
            AccountHttp.SignInCircuit(circuit.ServiceProvider, await AccountHttp.PrincipalOfAsync(circuit.ServiceProvider, Editor));
            await Assert.ThrowsAsync<ForbiddenException>(() => circuit.ServiceProvider.GetRequiredService<CompanyEditService>().SaveAsync(NewCompany("reset-editor")));
        }

        var form = await client.GetStringAsync("/account/change-password?returnUrl=%2Fcompanies");
        Assert.Contains("data-testid=\"password-change-required\"", form);
        var same = await PostFormAsync(client, "/account/change-password?returnUrl=%2Fcompanies", form, "change-password", new()
        {
            ["Input.CurrentPassword"] = reset.TemporaryPassword!, ["Input.NewPassword"] = reset.TemporaryPassword!, ["Input.ConfirmPassword"] = reset.TemporaryPassword!,
        });
        Assert.Contains("not the one the administrator set", await same.Content.ReadAsStringAsync());
        var changed = await PostFormAsync(client, "/account/change-password?returnUrl=%2Fcompanies", await client.GetStringAsync("/account/change-password?returnUrl=%2Fcompanies"), "change-password", new()
        {
            ["Input.CurrentPassword"] = reset.TemporaryPassword!, ["Input.NewPassword"] = "My-Own-Editor-Password-9", ["Input.ConfirmPassword"] = "My-Own-Editor-Password-9",
        });
        Assert.Equal(HttpStatusCode.Found, changed.StatusCode);
        Assert.Equal("/companies", AccountHttp.PathOf(changed.Headers.Location));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/companies")).StatusCode);
        await using (var circuit = app.Services.CreateAsyncScope())
        {
            AccountHttp.SignInCircuit(circuit.ServiceProvider, await AccountHttp.PrincipalOfAsync(circuit.ServiceProvider, Editor));
            Assert.Equal(SaveStatus.Saved, (await circuit.ServiceProvider.GetRequiredService<CompanyEditService>().SaveAsync(NewCompany("reset-editor"))).Status);
        }
    }

    [Fact]
    public async Task A_user_an_admin_creates_must_change_the_initial_password()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("password_created"));
        await using (var admin = app.Services.CreateAsyncScope())
        {
            AccountHttp.SignInCircuit(admin.ServiceProvider, await AccountHttp.PrincipalOfAsync(admin.ServiceProvider, Admin));
            var created = await admin.ServiceProvider.GetRequiredService<UserAdminService>().CreateAsync(new CreateUserRequest
            {
                Email = "fresh.analyst@example.org", Password = "Initial-Password-1", Roles = [Roles.Analyst],
            });
            Assert.True(created.Succeeded, string.Join(" ", created.Errors));
            var row = Assert.Single((await admin.ServiceProvider.GetRequiredService<UserAdminService>().ListAsync(new UserQuery("fresh.analyst"))).Items);
            Assert.True(row.MustChangePassword);
        }
        using var client = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(client, "fresh.analyst@example.org", "Initial-Password-1");
        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Found, home.StatusCode);
        Assert.StartsWith("/account/change-password", AccountHttp.PathOf(home.Headers.Location));
    }

    [Fact]
    public async Task An_admin_lists_and_revokes_a_users_API_token_and_the_token_then_gets_401()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("admin_tokens"), settings: new() { ["Access:RequireLoginToRead"] = "true" });
        const string ReadWithToken = "/api/v1/companies/deepseek";
        string token;
        await using (var editor = app.Services.CreateAsyncScope())
        {
            AccountHttp.SignInCircuit(editor.ServiceProvider, await AccountHttp.PrincipalOfAsync(editor.ServiceProvider, Editor));
            token = (await editor.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("notebook", 30)).Created!.Token;
            // An editor cannot look at anyone's tokens through the admin service.
            await Assert.ThrowsAsync<ForbiddenException>(() => editor.ServiceProvider.GetRequiredService<UserAdminService>().ListTokensAsync(EditorId(app)));
        }
        using var api = app.CreateClient();
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync(ReadWithToken)).StatusCode);

        await using (var admin = app.Services.CreateAsyncScope())
        {
            AccountHttp.SignInCircuit(admin.ServiceProvider, await AccountHttp.PrincipalOfAsync(admin.ServiceProvider, Admin));
            var service = admin.ServiceProvider.GetRequiredService<UserAdminService>();
            var listed = Assert.Single(await service.ListTokensAsync(EditorId(app)));
            Assert.Equal("notebook", listed.Name);
            Assert.StartsWith(listed.Prefix, token);
            Assert.True((await service.RevokeTokenAsync(EditorId(app), listed.Id)).Succeeded);
            Assert.False((await service.RevokeTokenAsync(EditorId(app), listed.Id)).Succeeded);
            Assert.NotNull(Assert.Single(await service.ListTokensAsync(EditorId(app))).RevokedAt);
        }
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync(ReadWithToken)).StatusCode);
    }

    private static async Task CreateUserAsync(AppFactory app, string email, string password, string role)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true };
        Assert.True((await users.CreateAsync(user, password)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, role)).Succeeded);
    }

    private static string EditorId(AppFactory app)
    {
        using var scope = app.Services.CreateScope();
        return scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(Editor).GetAwaiter().GetResult()!.Id;
    }

    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string path, string formHtml, string handler, Dictionary<string, string> fields)
    {
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = AccountHttp.AntiforgeryToken(formHtml);
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    private static CompanyRequest NewCompany(string slug) => new()
    {
        NameEn = "Account Test " + slug, Slug = slug, FoundedOn = "2024-03", Summary = "Written by an account test.",
        Sources = [new SourceInput { Url = $"https://news.example.com/{slug}", Title = "Account test", PublishedOn = "2024-03-05" }],
    };

    [GeneratedRegex("data-testid=\"recovery-code\"[^>]*>([A-Z0-9]{5}-[A-Z0-9]{5})<")]
    private static partial Regex RecoveryCode();
}

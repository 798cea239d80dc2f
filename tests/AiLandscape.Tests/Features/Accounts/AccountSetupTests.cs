using System.Net;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Accounts;

/// <summary>Roles, demo users, the first admin and the create-admin command, on the real app start.</summary>
[RunsLong(60)]
public class AccountSetupTests
{
    private static readonly string WorkDir = Path.Combine(RepoPaths.Root, "src", "AiLandscape.Web");

    [Fact]
    public async Task Development_has_the_three_demo_users_with_their_roles_and_they_can_log_in()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("accounts_dev"));
        using var client = AccountHttp.Client(app);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            foreach (var (email, role) in new[] { ("admin@example.com", Roles.Admin), ("editor@example.com", Roles.Editor), ("analyst@example.com", Roles.Analyst) })
            {
                var user = await users.FindByEmailAsync(email);
                Assert.NotNull(user);
                Assert.Equal([role], await users.GetRolesAsync(user));
                Assert.False(user.IsDisabled);
            }
            Assert.Equal(Roles.All.Order(), scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>().Roles.Select(r => r.Name!).AsEnumerable().Order());
        }
        await AccountHttp.LoginOrFailAsync(client, "analyst@example.com");
    }

    [Fact]
    public async Task Production_has_no_demo_users_only_the_roles()
    {
        var pg = await TestPostgres.GetAsync();
        var connectionString = await pg.CreateDatabaseAsync("accounts_prod");
        await using var app = new AppFactory(connectionString, environment: "Production");
        using var client = AccountHttp.Client(app);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        await using var db = TestPostgres.ContextFactory(connectionString).CreateDbContext();
        Assert.Empty(await db.Users.ToListAsync());
        Assert.Equal(3, await db.Roles.CountAsync());
        var login = await AccountHttp.LoginAsync(client, "admin@example.com", AccountHttp.DemoPassword);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(LoginOutcome.IncorrectMessage, AccountHttp.ErrorOf(await login.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task A_demo_admin_from_a_Development_start_cannot_sign_in_under_Production()
    {
        var pg = await TestPostgres.GetAsync();
        var connectionString = await pg.CreateDatabaseAsync("accounts_dev_then_prod");
        await using (var app = new AppFactory(connectionString))
        {
            using var client = AccountHttp.Client(app);
            await AccountHttp.LoginOrFailAsync(client, "admin@example.com");
        }

        await using (var app = new AppFactory(connectionString, environment: "Production"))
        {
            using var client = AccountHttp.Client(app);
            foreach (var demo in AccountSeeder.DemoUsers)
            {
                var login = await AccountHttp.LoginAsync(client, demo.Email, AccountHttp.DemoPassword);
                Assert.NotEqual(HttpStatusCode.Redirect, login.StatusCode);
                Assert.NotNull(AccountHttp.ErrorOf(await login.Content.ReadAsStringAsync()));
            }
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);
        }
        await using var db = TestPostgres.ContextFactory(connectionString).CreateDbContext();
        Assert.All(await db.Users.Where(u => u.Email!.EndsWith("@example.com")).ToListAsync(), u => Assert.True(u.IsDisabled, $"{u.Email} should be disabled"));
    }

    [Fact]
    public async Task Outside_Development_a_demo_account_cannot_be_re_enabled_and_its_API_tokens_fail_even_if_enabled_by_hand()
    {
        var pg = await TestPostgres.GetAsync();
        var connectionString = await pg.CreateDatabaseAsync("accounts_demo_token");
        var token = "ail_demo" + Guid.NewGuid().ToString("N");
        await using (var app = new AppFactory(connectionString))
        {
            _ = app.Services; // started: demo accounts created
            await using var db = TestPostgres.ContextFactory(connectionString).CreateDbContext();
            var editor = await db.Users.SingleAsync(u => u.NormalizedEmail == "EDITOR@EXAMPLE.COM");
            db.ApiTokens.Add(new ApiToken
            {
                UserId = editor.Id, Name = "demo", TokenHash = AiLandscape.Web.Features.ApiTokens.ApiTokenService.Hash(token),
                Prefix = token[..12], CreatedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddDays(1),
            });
            await db.SaveChangesAsync();
            using var client = app.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/sources/1/edit")).StatusCode); // works in Development
        }

        await using (var app = new AppFactory(connectionString, environment: "Production"))
        {
            using var client = app.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/sources/1/edit")).StatusCode);

            // The admin's screen refuses to enable it, naming why.
            await using var scope = app.Services.CreateAsyncScope();
            var accounts = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var owner = new AppUser { UserName = "owner@example.org", Email = "owner@example.org", EmailConfirmed = true };
            Assert.True((await accounts.CreateAsync(owner, "Owner-Password-42-long")).Succeeded);
            Assert.True((await accounts.AddToRoleAsync(owner, Roles.Admin)).Succeeded);
            Assert.True((await accounts.SetTwoFactorEnabledAsync(owner, true)).Succeeded); // admins must have it
            AccountHttp.SignInCircuit(scope.ServiceProvider, await AccountHttp.PrincipalOfAsync(scope.ServiceProvider, "owner@example.org"));
            var editorId = (await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("editor@example.com"))!.Id;
            var result = await scope.ServiceProvider.GetRequiredService<UserAdminService>().SetDisabledAsync(editorId, disabled: false);
            Assert.False(result.Succeeded);
            Assert.Contains("demo account", Assert.Single(result.Errors));

            // Enabled by hand in the database: its token is still refused.
            await using var db = TestPostgres.ContextFactory(connectionString).CreateDbContext();
            await db.Users.Where(u => u.Id == editorId).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsDisabled, false));
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/sources/1/edit")).StatusCode);
        }
    }

    [Fact]
    public async Task The_first_admin_comes_from_the_environment_and_only_while_there_is_no_admin()
    {
        var pg = await TestPostgres.GetAsync();
        var connectionString = await pg.CreateDatabaseAsync("accounts_first_admin");
        var settings = new Dictionary<string, string?>
        {
            [AccountSeeder.AdminEmailVariable] = "owner@example.org",
            [AccountSeeder.AdminPasswordVariable] = "Owner-Password-42",
        };
        await using (var app = new AppFactory(connectionString, environment: "Production", settings: settings))
        {
            using var client = AccountHttp.Client(app);
            await AccountHttp.LoginOrFailAsync(client, "owner@example.org", "Owner-Password-42");
            // Signed in; like every admin, the first one sets up two-factor sign-in before the admin pages open.
            await AccountHttp.AssertSentToTwoFactorSetupAsync(client, "/admin/users");
        }

        // A later start with other values changes nothing: the variables only bootstrap the first admin.
        settings[AccountSeeder.AdminEmailVariable] = "someone-else@example.org";
        await using (var app = new AppFactory(connectionString, environment: "Production", settings: settings))
        {
            using var client = AccountHttp.Client(app);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        }
        await using var db = TestPostgres.ContextFactory(connectionString).CreateDbContext();
        Assert.Equal(["owner@example.org"], await db.Users.Select(u => u.Email!).ToListAsync());
    }

    [Fact]
    public async Task Create_admin_creates_the_admin_and_exits_with_zero_as_a_real_process()
    {
        var pg = await TestPostgres.GetAsync();
        var connectionString = await pg.CreateDatabaseAsync("accounts_cli");
        await using (var command = AppProcess.Start(CommandEnvironment(connectionString), WorkDir,
                         "create-admin", "--email", "boss@example.org", "--password", "Boss-Password-77", "--name", "The Boss"))
        {
            var exitCode = await command.WaitForExitAsync(TimeSpan.FromSeconds(90));
            Assert.True(exitCode == 0, $"exit {exitCode}\n{command.Stdout}\n{command.Stderr}");
            Assert.Contains("boss@example.org created", command.Stdout);
            Assert.DoesNotContain("Boss-Password-77", command.Stdout + command.Stderr);
            Assert.DoesNotContain("Now listening", command.Stdout);
        }

        // Run again for an existing account: it is promoted, enabled and gets the new password.
        await using (var db = TestPostgres.ContextFactory(connectionString).CreateDbContext())
        {
            await db.Users.Where(u => u.Email == "boss@example.org").ExecuteUpdateAsync(u => u.SetProperty(x => x.IsDisabled, true));
        }
        await using (var again = AppProcess.Start(CommandEnvironment(connectionString), WorkDir,
                         "create-admin", "--email=boss@example.org", "--password=Boss-Password-88"))
        {
            Assert.Equal(0, await again.WaitForExitAsync(TimeSpan.FromSeconds(90)));
            Assert.Contains("boss@example.org is now an admin", again.Stdout);
        }

        await using var app = new AppFactory(connectionString, environment: "Production");
        using var client = AccountHttp.Client(app);
        await AccountHttp.LoginOrFailAsync(client, "boss@example.org", "Boss-Password-88");
        // Signed in; like every admin, the first one sets up two-factor sign-in before the admin pages open.
        await AccountHttp.AssertSentToTwoFactorSetupAsync(client, "/admin/users");
    }

    [Fact]
    public async Task Create_admin_refuses_a_weak_password_with_one_clear_line_and_creates_nothing()
    {
        var pg = await TestPostgres.GetAsync();
        var connectionString = await pg.CreateDatabaseAsync("accounts_cli_weak");
        await using var command = AppProcess.Start(CommandEnvironment(connectionString), WorkDir,
            "create-admin", "--email", "boss@example.org", "--password", "weak");

        Assert.NotEqual(0, await command.WaitForExitAsync(TimeSpan.FromSeconds(90)));
        var line = Assert.Single(command.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("create-admin: boss@example.org was not changed:", line);
        Assert.Contains("at least 12 characters", line);
        Assert.DoesNotContain("Exception", command.Stdout + command.Stderr);
        Assert.DoesNotContain("weak", command.Stdout);

        await using var db = TestPostgres.ContextFactory(connectionString).CreateDbContext();
        Assert.False(await db.Users.AnyAsync());
    }

    [Fact]
    public async Task Create_admin_without_an_email_says_how_to_call_it()
    {
        await using var command = AppProcess.Start(new Dictionary<string, string?>(), WorkDir, "create-admin", "--password", "Boss-Password-77");

        Assert.Equal(2, await command.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        var line = Assert.Single(command.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal($"create-admin: --email is required. {CreateAdminCommand.Usage}", line);
    }

    [Theory]
    [InlineData(new[] { "create-admin", "--email", "a@b.c", "--password", "p" }, "a@b.c", "p", null)]
    [InlineData(new[] { "create-admin", "--email=a@b.c", "--password=x=y", "--name", "A B" }, "a@b.c", "x=y", "A B")]
    public void The_command_line_is_parsed(string[] args, string email, string password, string? name)
    {
        var command = CreateAdminCommand.Parse(args, _ => null, out var error);
        Assert.Null(error);
        Assert.Equal(new CreateAdminCommand(email, password, name), command);
        Assert.DoesNotContain(password, command!.ToString());
    }

    [Fact]
    public void The_command_takes_the_password_from_the_environment_when_it_is_not_on_the_command_line()
    {
        var command = CreateAdminCommand.Parse(["create-admin", "--email", "a@b.c"],
            name => name == AccountSeeder.AdminPasswordVariable ? "From-Env-Password-1" : null, out var error);
        Assert.Null(error);
        Assert.Equal("From-Env-Password-1", command!.Password);
    }

    [Theory]
    [InlineData(new[] { "create-admin", "--email" }, "--email needs a value")]
    [InlineData(new[] { "create-admin", "--email", "a@b.c", "--role", "x" }, "unknown option '--role'")]
    public void Wrong_options_give_one_error(string[] args, string expected)
    {
        Assert.Null(CreateAdminCommand.Parse(args, _ => null, out var error));
        Assert.Contains(expected, error);
    }

    [Fact]
    public void Other_arguments_run_the_app_as_usual()
    {
        Assert.Null(CreateAdminCommand.Parse(["--urls", "http://localhost:5000"], _ => null, out var error));
        Assert.Null(error);
    }

    private static Dictionary<string, string?> CommandEnvironment(string connectionString) => new()
    {
        ["ConnectionStrings__AiLandscape"] = connectionString,
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Serilog__WriteTo__1__Args__path"] = Path.Combine(Path.GetTempPath(), "ailandscape-test-logs", "cli-.log"),
    };
}

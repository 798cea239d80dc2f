namespace AiLandscape.Web.Features.Accounts;

/// <summary>
/// `create-admin --email x@y --password ...`: creates the admin account (or promotes, enables and unlocks an existing
/// one, setting the given password), then exits: 0 on success, otherwise one line on stderr and a non-zero code.
/// </summary>
public sealed record CreateAdminCommand(string Email, string Password, string? DisplayName)
{
    public const string Verb = "create-admin";
    public const string Usage =
        "Usage: create-admin --email <address> --password <password> [--name <display name>] " +
        "(or put the password in " + AccountSeeder.AdminPasswordVariable + " and leave out --password)";

    /// <summary>
    /// Null when <paramref name="args"/> are not this command (the app then runs as usual). Otherwise the command, or
    /// an error line in <paramref name="error"/> when its options are wrong.
    /// </summary>
    public static CreateAdminCommand? Parse(string[] args, Func<string, string?> environment, out string? error)
    {
        error = null;
        if (args.Length == 0 || args[0] != Verb)
        {
            return null;
        }
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i < args.Length; i++)
        {
            var arg = args[i];
            var (name, value) = arg.IndexOf('=', StringComparison.Ordinal) is > 0 and var eq
                ? (arg[..eq], arg[(eq + 1)..])
                : (arg, i + 1 < args.Length ? args[++i] : null);
            if (name is not ("--email" or "--password" or "--name"))
            {
                error = $"create-admin: unknown option '{name}'. {Usage}";
                return null;
            }
            if (value is null)
            {
                error = $"create-admin: {name} needs a value. {Usage}";
                return null;
            }
            options[name] = value;
        }
        var email = options.GetValueOrDefault("--email")?.Trim();
        var password = options.GetValueOrDefault("--password") ?? environment(AccountSeeder.AdminPasswordVariable);
        if (string.IsNullOrEmpty(email) || string.IsNullOrEmpty(password))
        {
            error = $"create-admin: {(string.IsNullOrEmpty(email) ? "--email" : "--password")} is required. {Usage}";
            return null;
        }
        return new CreateAdminCommand(email, password, options.GetValueOrDefault("--name"));
    }

    public async Task<int> RunAsync(IServiceProvider services, TextWriter output, TextWriter error)
    {
        try
        {
            await using var scope = services.CreateAsyncScope();
            var seeder = scope.ServiceProvider.GetRequiredService<AccountSeeder>();
            var result = await seeder.CreateOrPromoteAdminAsync(Email, Password, DisplayName);
            if (!result.Succeeded)
            {
                await error.WriteLineAsync($"create-admin: {Email} was not changed: {result.Message}");
                return 1;
            }
            await output.WriteLineAsync($"create-admin: {Email} {result.Message}.");
            return 0;
        }
        catch (AccountSetupException ex)
        {
            await error.WriteLineAsync($"create-admin: {ex.Message}");
            return 1;
        }
    }

    // The password stays out of logs and debugger displays.
    public override string ToString() => $"{Verb} --email {Email}";
}

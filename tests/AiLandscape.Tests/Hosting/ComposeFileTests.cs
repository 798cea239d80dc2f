using System.Diagnostics;

namespace AiLandscape.Tests.Hosting;

/// <summary>
/// docker-compose.yml as an operator meets it: valid (checked by docker-compose itself, which needs no engine),
/// with a health check the app image can run, restarts, and the app on a role of its own.
/// </summary>
public sealed class ComposeFileTests
{
    private static readonly string ComposeFile = Path.Combine(RepoPaths.Root, "docker-compose.yml");

    [Theory]
    [InlineData("")]
    [InlineData("scale")]
    public void The_compose_file_is_valid_with_and_without_the_scale_profile(string profile)
    {
        var (code, output) = Compose(profile == "" ? ["config", "-q"] : ["--profile", profile, "config", "-q"]);
        Assert.True(code == 0, $"docker-compose config failed:\n{output}");
    }

    [Fact]
    public void The_compose_file_refuses_to_start_without_its_passwords_and_names_them()
    {
        var (code, output) = Compose(["config", "-q"], withPasswords: false);
        Assert.NotEqual(0, code);
        Assert.Contains("POSTGRES_PASSWORD", output);
    }

    [Fact]
    public void The_app_is_health_checked_with_a_command_its_image_has_restarts_and_is_not_the_superuser()
    {
        var (code, config) = Compose(["--profile", "scale", "config"]);
        Assert.True(code == 0, config);
        Assert.DoesNotContain("wget", config);
        Assert.DoesNotContain("curl", config);
        Assert.Contains("AiLandscape.Web.dll", config); // the app's own `healthcheck` command
        Assert.Contains("healthcheck", config);
        Assert.Contains("restart: unless-stopped", config);
        Assert.Contains("Username=ailandscape_app", config);
        Assert.Contains("Username=ailandscape_owner", config); // migrations run as the owner, the app as its own role
        Assert.Contains("limit_req", File.ReadAllText(Path.Combine(RepoPaths.Root, "tools", "compose", "nginx.conf")));
        var roleScript = File.ReadAllText(Path.Combine(RepoPaths.Root, "tools", "compose", "db-init", "10-app-role.sh"));
        Assert.Contains("NOSUPERUSER", roleScript);
        Assert.Contains("OWNER TO ailandscape_owner", roleScript);
        Assert.DoesNotContain("OWNER TO ailandscape_app", roleScript);
    }

    private static (int Code, string Output) Compose(string[] args, bool withPasswords = true)
    {
        var psi = new ProcessStartInfo("docker-compose")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        psi.ArgumentList.Add("-f");
        psi.ArgumentList.Add(ComposeFile);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment.Remove("POSTGRES_PASSWORD");
        psi.Environment.Remove("AILANDSCAPE_DB_PASSWORD");
        psi.Environment.Remove("AILANDSCAPE_OWNER_DB_PASSWORD");
        if (withPasswords)
        {
            psi.Environment["POSTGRES_PASSWORD"] = "superuser-password-for-the-test";
            psi.Environment["AILANDSCAPE_DB_PASSWORD"] = "app-password-for-the-test";
            psi.Environment["AILANDSCAPE_OWNER_DB_PASSWORD"] = "owner-password-for-the-test";
        }
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException(
                "docker-compose is not installed: 'apt-get install -y docker-compose' (compose 1.29 validates the file " +
                "without a Docker engine; .ci/run installs it).");
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result + stderr.Result);
        }
    }
}

using System.Diagnostics;
using System.Net;
using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Tests.Features.Editing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiLandscape.Tests.Hosting;

/// <summary>
/// Outside Development the sign-in cookie is always Secure, even when the app sees plain http (a TLS proxy whose
/// X-Forwarded-Proto is not trusted); Development over http keeps them plain so that it works on localhost. And the
/// Development settings (demo accounts, verbose logs) are not part of the published app. Plain HTTP is sent to HTTPS
/// outside Development once the app knows its HTTPS port.
/// </summary>
public class SecureCookieTests
{
    private static async Task<List<string>> CookiesSetByLoginPageAsync(AppFactory app, string scheme)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri($"{scheme}://localhost"),
        });
        using var page = await client.GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        return page.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.ToList() : [];
    }

    [Fact]
    public async Task Outside_development_the_sign_in_cookie_is_secure_even_when_the_app_sees_plain_http()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("secure_cookies"), environment: "Production",
            settings: new() { ["AILANDSCAPE_ADMIN_EMAIL"] = "owner@example.org", ["AILANDSCAPE_ADMIN_PASSWORD"] = "Owner-Password-42" });

        // What a TLS proxy that does not pass X-Forwarded-Proto (or is not trusted) shows the app: http.
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("http://localhost"),
        });
        var login = await AccountHttp.LoginAsync(client, "owner@example.org", "Owner-Password-42");
        var auth = Assert.Single(login.Headers.GetValues("Set-Cookie"), c => c.StartsWith("AiLandscape.Auth", StringComparison.Ordinal));
        Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", auth, StringComparison.OrdinalIgnoreCase);

        // The antiforgery cookie is Secure over https (over http ASP.NET Core would refuse to issue it at all).
        Assert.All(await CookiesSetByLoginPageAsync(app, "https"), c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Outside_development_plain_http_is_sent_to_https_once_the_app_knows_its_https_port()
    {
        var pg = await TestPostgres.GetAsync();
        await using var app = new AppFactory(await pg.CreateDatabaseAsync("https_redirect"), environment: "Production",
            settings: new()
            {
                ["AILANDSCAPE_ADMIN_EMAIL"] = "owner@example.org", ["AILANDSCAPE_ADMIN_PASSWORD"] = "Owner-Password-42",
                ["https_port"] = "443",
            });
        // A host name, not localhost: HSTS leaves out localhost by design.
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("http://ailandscape.example") });
        using var redirected = await http.GetAsync("/companies?sort=name");
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal("https://ailandscape.example/companies?sort=name", redirected.Headers.Location?.ToString());
        // A health probe asks an instance over plain HTTP and gets its answer, not a redirect.
        using var probe = await http.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, probe.StatusCode);

        using var https = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://ailandscape.example") });
        using var page = await https.GetAsync("/companies?sort=name");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.True(page.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task In_development_over_http_the_cookies_stay_usable()
    {
        await using var editing = await EditingApp.StartAsync("dev_cookies");
        var cookies = await CookiesSetByLoginPageAsync(editing.App, "http");
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.DoesNotContain("; secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void The_development_settings_are_not_in_the_published_output()
    {
        var project = Path.Combine(RepoPaths.Root, "src", "AiLandscape.Web", "AiLandscape.Web.csproj");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var arg in new[] { "msbuild", project, "-nologo", "-t:ComputeResolvedFilesToPublishList",
                     "-getItem:ResolvedFileToPublish", "-p:NoBuild=true" })
        {
            psi.ArgumentList.Add(arg);
        }
        using var msbuild = Process.Start(psi)!;
        var output = msbuild.StandardOutput.ReadToEnd();
        msbuild.WaitForExit();
        Assert.True(msbuild.ExitCode == 0, output + msbuild.StandardError.ReadToEnd());

        Assert.Contains("\"RelativePath\": \"appsettings.json\"", output);
        Assert.DoesNotContain("appsettings.Development.json", output);
    }
}

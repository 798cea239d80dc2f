using System.Net;
using System.Security.Claims;
using System.Text.RegularExpressions;
using AiLandscape.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;

namespace AiLandscape.Tests.Features.Accounts;

/// <summary>Drives the real login form and logout endpoint over HTTP, as a browser without JavaScript would.</summary>
internal static partial class AccountHttp
{
    public const string DemoPassword = "Demo-Password-1";

    /// <summary>A client that keeps cookies and shows redirects instead of following them.</summary>
    public static HttpClient Client(AppFactory app) =>
        // https: outside Development every cookie is Secure, and a client sends those back over https only.
        app.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = true, BaseAddress = new Uri("https://localhost"),
        });

    /// <summary>
    /// Posts the login form. The demo admin has two-factor sign-in on: after a right password this also enters the
    /// current authenticator code, computed from the published demo key, and returns the code step's answer.
    /// </summary>
    public static async Task<HttpResponseMessage> LoginAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var response = await PasswordStepAsync(client, email, password, returnUrl);
        return IsCodeStep(response) && string.Equals(email, Totp.DemoAdminEmail, StringComparison.OrdinalIgnoreCase)
            ? await CodeStepAsync(client, response, Totp.Code(Totp.DemoAdminKey))
            : response;
    }

    /// <summary>Only the password form.</summary>
    public static async Task<HttpResponseMessage> PasswordStepAsync(HttpClient client, string email, string password, string? returnUrl = null)
    {
        var path = "/account/login" + (returnUrl is null ? "" : "?returnUrl=" + Uri.EscapeDataString(returnUrl));
        var form = await client.GetStringAsync(path);
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>Whether the password step sent the browser on to the code page.</summary>
    public static bool IsCodeStep(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Found && PathOf(response.Headers.Location).StartsWith("/account/login/code", StringComparison.Ordinal);

    /// <summary>Enters <paramref name="code"/> on the code page the password step redirected to.</summary>
    public static async Task<HttpResponseMessage> CodeStepAsync(HttpClient client, HttpResponseMessage passwordStep, string code)
    {
        var path = PathOf(passwordStep.Headers.Location);
        var form = await client.GetStringAsync(path);
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login-code",
            ["__RequestVerificationToken"] = AntiforgeryToken(form),
            ["Input.Code"] = code,
        }));
    }

    /// <summary>A Location header's path and query, whether the server wrote it absolute or relative.</summary>
    public static string PathOf(Uri? location) =>
        location is null ? "" : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    /// <summary>Logs in and fails the test unless the login page redirected (success).</summary>
    public static async Task LoginOrFailAsync(HttpClient client, string email, string password = DemoPassword)
    {
        var response = await LoginAsync(client, email, password);
        Assert.True(response.StatusCode == HttpStatusCode.Found,
            $"login as {email} answered {(int)response.StatusCode}: {ErrorOf(await response.Content.ReadAsStringAsync())}");
    }

    /// <summary>An admin without two-factor sign-in: <paramref name="path"/> sends them to the setup page, which opens.</summary>
    public static async Task AssertSentToTwoFactorSetupAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.StartsWith("/account/two-factor?returnUrl=", PathOf(response.Headers.Location));
        Assert.Contains("data-testid=\"two-factor-key\"", await client.GetStringAsync("/account/two-factor"));
    }

    /// <summary>The error the login page shows, or null.</summary>
    public static string? ErrorOf(string html)
    {
        var match = LoginError().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value).Trim() : null;
    }

    public static string AntiforgeryToken(string html) =>
        AntiforgeryTokenOrNull(html) ?? throw new Xunit.Sdk.XunitException("the page has no antiforgery token");

    /// <summary>The antiforgery token of the page's form, or null when the page has no form.</summary>
    public static string? AntiforgeryTokenOrNull(string html)
    {
        var match = TokenInput().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    /// <summary>A principal as the app builds it for this user at login (id, roles, security stamp).</summary>
    public static async Task<ClaimsPrincipal> PrincipalOfAsync(IServiceProvider services, string email)
    {
        var users = services.GetRequiredService<UserManager<AppUser>>();
        var factory = services.GetRequiredService<IUserClaimsPrincipalFactory<AppUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"no user {email}");
        return await factory.CreateAsync(user);
    }

    /// <summary>Makes <paramref name="scope"/> behave like a Blazor circuit signed in as <paramref name="principal"/>.</summary>
    public static void SignInCircuit(IServiceProvider scope, ClaimsPrincipal principal) =>
        ((IHostEnvironmentAuthenticationStateProvider)scope.GetRequiredService<AuthenticationStateProvider>())
            .SetAuthenticationState(Task.FromResult(new AuthenticationState(principal)));

    [GeneratedRegex("data-testid=\"login-error\"[^>]*>([^<]*)<")]
    private static partial Regex LoginError();

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}

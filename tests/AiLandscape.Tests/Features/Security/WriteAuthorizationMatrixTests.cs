using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Features.ApiTokens;
using Microsoft.AspNetCore.Routing;

namespace AiLandscape.Tests.Features.Security;

/// <summary>
/// Every HTTP endpoint that writes (POST, PUT, PATCH, DELETE), found from the app's own routing table so that a new
/// one cannot be left out, called as each role: anonymous callers and analysts are refused by the server before
/// anything is read from the body; editors and admins get past authorization (to validation, a conflict, a not-found
/// or success). The sign-in form and logout are the only writes open to anonymous callers, and they are named.
/// </summary>
public sealed class WriteAuthorizationMatrixTests : IAsyncLifetime
{
    /// <summary>Writes anyone may call (they create or end a session), each protected by antiforgery instead.</summary>
    private static readonly string[] OpenToAnonymous = ["/account/login", "/account/logout"];

    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("write_matrix");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_write_endpoint_refuses_anonymous_callers_and_analysts_and_lets_editors_and_admins_through()
    {
        var endpoints = Writes(_app.App.Services);
        var writes = endpoints.Where(e => !e.IsPage).Select(e => (e.Method, e.Pattern)).ToList();
        Assert.True(writes.Count >= 27, $"only {writes.Count} write endpoints found: {string.Join(", ", writes)}"); // 9 record types × create/update/delete at least
        // Every page also takes a POST (its forms): none may do anything for a request without the antiforgery token
        // of a form the server gave out, whoever sends it; pages for editors send others to the login page.
        var pages = endpoints.Where(e => e.IsPage && !OpenToAnonymous.Contains(e.Pattern)).ToList();
        Assert.NotEmpty(pages);
        var wrongPages = new List<string>();
        foreach (var (method, pattern, _) in pages)
        {
            var status = await SendAsync(method, Concrete(pattern), token: null);
            if ((int)status is >= 200 and < 300 or >= 500)
            {
                wrongPages.Add($"{method} {pattern}: a form post without antiforgery token got {(int)status}");
            }
        }
        Assert.True(wrongPages.Count == 0, string.Join("\n", wrongPages));

        var analyst = await TokenOfAsync(EditingApp.Analyst);
        var editor = await TokenOfAsync(EditingApp.Editor);
        var admin = await TokenOfAsync(EditingApp.Admin);
        var wrong = new List<string>();
        foreach (var (method, pattern) in writes)
        {
            var path = Concrete(pattern);
            var anonymous = await SendAsync(method, path, token: null);
            if (OpenToAnonymous.Contains(pattern))
            {
                // Open, but not without the antiforgery token of a form the server gave out.
                if (anonymous is HttpStatusCode.OK or HttpStatusCode.Found or HttpStatusCode.NoContent)
                {
                    wrong.Add($"{method} {path}: anonymous without antiforgery token got {(int)anonymous}");
                }
                continue;
            }
            if (anonymous is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                wrong.Add($"{method} {path}: anonymous got {(int)anonymous}");
            }
            var asAnalyst = await SendAsync(method, path, analyst);
            if (asAnalyst is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized))
            {
                wrong.Add($"{method} {path}: analyst got {(int)asAnalyst}");
            }
            var editorOnly = !pattern.Contains("/admin", StringComparison.Ordinal) && !pattern.Contains("/users", StringComparison.Ordinal);
            foreach (var (who, token) in editorOnly ? new[] { ("editor", editor), ("admin", admin) } : [("admin", admin)])
            {
                var status = await SendAsync(method, path, token);
                if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)status >= 500)
                {
                    wrong.Add($"{method} {path}: {who} got {(int)status}");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>Every route that takes a POST, PUT, PATCH or DELETE (pages take their forms' POSTs), from the routing table.</summary>
    internal static List<(string Method, string Pattern, bool IsPage)> Writes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
                .Where(m => m is "POST" or "PUT" or "PATCH" or "DELETE")
                .Select(m => (Method: m, Pattern: "/" + e.RoutePattern.RawText!.TrimStart('/'),
                    IsPage: e.Metadata.GetMetadata<Microsoft.AspNetCore.Components.Endpoints.ComponentTypeMetadata>() is not null)))
            .Where(w => !w.Pattern.StartsWith("/_blazor", StringComparison.Ordinal) && !w.Pattern.StartsWith("/_framework", StringComparison.Ordinal))
            .Distinct().OrderBy(w => w.Pattern).ThenBy(w => w.Method).ToList();

    /// <summary>A route pattern with its parameters filled: ids of seeded records, a seeded slug.</summary>
    internal static string Concrete(string pattern) =>
        System.Text.RegularExpressions.Regex.Replace(pattern, @"\{(\w+)(:[^}]*)?\}", m =>
            m.Groups[2].Value.Contains("int", StringComparison.Ordinal) || m.Groups[1].Value.EndsWith("id", StringComparison.OrdinalIgnoreCase)
                ? "1" : "deepseek");

    private async Task<HttpStatusCode> SendAsync(string method, string path, string? token)
    {
        using var client = _app.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        using var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string> TokenOfAsync(string email)
    {
        var tokens = await _app.ServiceAsAsync<ApiTokenService>(email);
        var result = await tokens.CreateAsync("matrix", 30);
        Assert.True(result.Succeeded, result.Error);
        return result.Created!.Token;
    }
}

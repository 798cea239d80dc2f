using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.ApiTokens;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Security;

/// <summary>
/// Who may open what, cell by cell: every page and every read endpoint of the routing table (so a new one cannot be
/// left out), and the Blazor hub, for six callers: anonymous, an analyst, an editor, an admin, a user disabled after
/// signing in and an editor demoted to analyst after signing in. Both of the last two still hold the cookie and the
/// API token they had; the server must judge them by what the database says now. Writes are the job of
/// <see cref="WriteAuthorizationMatrixTests"/>, whose API callers this test extends to the disabled and demoted users.
/// </summary>
public sealed partial class RoleMatrixTests : IAsyncLifetime
{
    private const string Password = "matrix-cell-passphrase-42";
    private const string DisabledEmail = "disabled.editor@matrix.example";
    private const string DemotedEmail = "demoted.editor@matrix.example";

    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("role_matrix");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Who may open a page or read endpoint.</summary>
    private enum Access { Anyone, SignedIn, Editors, Admins }

    /// <summary>
    /// The pages and read endpoints that are not open to anyone, by route pattern. Any route not named here must be
    /// open to anonymous visitors: a new page that is restricted by mistake, or a restricted one that lost its
    /// attribute, fails this test until this table says which it is.
    /// </summary>
    private static readonly Dictionary<string, Access> Restricted = new(StringComparer.Ordinal)
    {
        ["/account/change-password"] = Access.SignedIn,
        ["/account/two-factor"] = Access.SignedIn,
        ["/account/tokens"] = Access.SignedIn,
        ["/history"] = Access.SignedIn,
        ["/api/account/me"] = Access.SignedIn,
        ["/admin/users"] = Access.Admins,
        ["/companies/new"] = Access.Editors,
        ["/companies/{Slug}/edit"] = Access.Editors,
        ["/companies/{Slug}/events/new"] = Access.Editors,
        ["/companies/{Slug}/models/new"] = Access.Editors,
        ["/companies/{Slug}/rounds/new"] = Access.Editors,
        ["/companies/{Slug}/valuations/new"] = Access.Editors,
        ["/disputes/unverified"] = Access.Editors,
        ["/exchange-rates"] = Access.Editors,
        ["/exchange-rates/new"] = Access.Editors,
        ["/exchange-rates/{Id:int}/edit"] = Access.Editors,
        ["/import/rounds"] = Access.Editors,
        ["/investors/new"] = Access.Editors,
        ["/investors/{Slug}/edit"] = Access.Editors,
        ["/people/new"] = Access.Editors,
        ["/people/{Slug}/edit"] = Access.Editors,
        ["/round-labels/new"] = Access.Editors,
        ["/round-labels/{Id:int}/edit"] = Access.Editors,
        ["/sources"] = Access.Editors,
        ["/sources/new"] = Access.Editors,
        ["/sources/{Id:int}/edit"] = Access.Editors,
        ["/events/{Id:int}/edit"] = Access.Editors,
        ["/models/{Id:int}/edit"] = Access.Editors,
        ["/rounds/{Id:int}/edit"] = Access.Editors,
        ["/valuations/{Id:int}/edit"] = Access.Editors,
        // The API's "get for edit" answers carry the concurrency token editors send back with their change.
        ["/api/v1/companies/{Slug}/edit"] = Access.Editors,
        ["/api/v1/investors/{Slug}/edit"] = Access.Editors,
        ["/api/v1/people/{Slug}/edit"] = Access.Editors,
        ["/api/v1/events/{Id:int}/edit"] = Access.Editors,
        ["/api/v1/exchange-rates/{Id:int}/edit"] = Access.Editors,
        ["/api/v1/models/{Id:int}/edit"] = Access.Editors,
        ["/api/v1/rounds/{Id:int}/edit"] = Access.Editors,
        ["/api/v1/sources/{Id:int}/edit"] = Access.Editors,
        ["/api/v1/valuations/{Id:int}/edit"] = Access.Editors,
    };

    /// <summary>The query a route needs to answer at all.</summary>
    private static readonly Dictionary<string, string> Queries = new(StringComparer.Ordinal) { ["/api/v1/search"] = "?q=deepseek" };

    /// <summary>Routes that are no page of their own: the code step exists only between the two sign-in steps.</summary>
    private static readonly HashSet<string> NotDirectlyOpened = new(StringComparer.Ordinal) { "/account/login/code", "/Error", "/not-found" };

    [Fact]
    public async Task Every_page_read_endpoint_and_the_hub_answer_each_kind_of_caller_as_the_table_says()
    {
        var values = await RouteValuesAsync();
        var routes = _app.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains("GET") ?? false)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(p => !p.StartsWith("/_", StringComparison.Ordinal) && !p.StartsWith("/health", StringComparison.Ordinal)
                && !p.StartsWith("/openapi", StringComparison.Ordinal) && !p.StartsWith("/api/docs", StringComparison.Ordinal)
                && !p.Contains("{**", StringComparison.Ordinal) && !NotDirectlyOpened.Contains(p))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(routes.Count >= 50, $"only {routes.Count} routes: {string.Join(", ", routes)}");
        // Every restricted route named above still exists (a renamed page would otherwise drop out of the table).
        Assert.Empty(Restricted.Keys.Except(routes.Select(Normalise)));

        var callers = await CallersAsync();
        var wrong = new List<string>();
        var cells = 0;
        foreach (var pattern in routes)
        {
            var access = Restricted.GetValueOrDefault(Normalise(pattern), Access.Anyone);
            var path = Concrete(pattern, values) + Queries.GetValueOrDefault(pattern, "");
            foreach (var caller in callers)
            {
                var (status, location) = await caller.GetAsync(path);
                var expected = Expected(access, caller.Kind, path);
                cells++;
                if (!expected.Accepts(status, location))
                {
                    wrong.Add($"{path} as {caller.Kind}: {(int)status} {location} (expected {expected})");
                }
            }
        }
        Assert.True(wrong.Count == 0, $"{wrong.Count} of {cells} cells wrong:\n" + string.Join("\n", wrong));

        // The Blazor hub: its negotiate request is what every interactive page starts with; open to all while reading
        // is open (Access:RequireLoginToRead off), and a disabled user's cookie gets no circuit of its own.
        foreach (var caller in callers)
        {
            var status = await caller.NegotiateAsync();
            Assert.True(status == HttpStatusCode.OK, $"hub negotiate as {caller.Kind}: {(int)status}");
        }
    }

    [Fact]
    public async Task Disabled_and_demoted_users_lose_the_api_writes_their_old_token_allowed()
    {
        var callers = await CallersAsync();
        // Every write endpoint of the API (the sign-in form and logout aside, which take no token).
        var writes = WriteAuthorizationMatrixTests.Writes(_app.App.Services)
            .Where(w => !w.IsPage && w.Pattern.StartsWith("/api/", StringComparison.Ordinal))
            .Select(w => (Method: new HttpMethod(w.Method), Path: WriteAuthorizationMatrixTests.Concrete(w.Pattern)))
            .ToList();
        Assert.True(writes.Count >= 27, $"only {writes.Count} API writes");
        var wrong = new List<string>();
        foreach (var caller in callers.Where(c => c.Kind is Caller.Disabled or Caller.Demoted))
        {
            foreach (var (method, path) in writes)
            {
                var status = await caller.SendTokenAsync(method, path);
                var allowed = caller.Kind == Caller.Disabled
                    ? status == HttpStatusCode.Unauthorized
                    : status == HttpStatusCode.Forbidden;
                if (!allowed)
                {
                    wrong.Add($"{method} {path} with the token of the {caller.Kind} user: {(int)status}");
                }
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        await using var db = _app.Db();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.UserName == DisabledEmail || a.UserName == DemotedEmail));
    }

    /// <summary>A route pattern as written in <see cref="Restricted"/> (route constraints kept, parameter names as in the pages).</summary>
    private static string Normalise(string pattern) =>
        Regex.Replace(pattern, @"\{(\w)(\w*)", m => "{" + m.Groups[1].Value.ToUpperInvariant() + m.Groups[2].Value);

    private enum Caller { Anonymous, Analyst, Editor, Admin, Disabled, Demoted }

    /// <summary>What a cell may answer: the page itself, the login form, or a refusal.</summary>
    private sealed record Outcome(string Name, Func<HttpStatusCode, string, bool> Test)
    {
        public bool Accepts(HttpStatusCode status, string location) => Test(status, location);
        public override string ToString() => Name;
    }

    private static readonly Outcome Opens = new("200", (s, _) => s == HttpStatusCode.OK);
    private static readonly Outcome ToLogin = new("the login form (302, or 401 for an API)", (s, l) =>
        s == HttpStatusCode.Unauthorized || (s == HttpStatusCode.Found && l.StartsWith("/account/login?", StringComparison.Ordinal)));
    private static readonly Outcome Refused = new("a refusal (access denied page, or 403 for an API)", (s, l) =>
        s == HttpStatusCode.Forbidden || (s == HttpStatusCode.Found && l.StartsWith("/account/access-denied", StringComparison.Ordinal)));

    private static Outcome Expected(Access access, Caller caller, string path)
    {
        // The disabled and the demoted user's cookies were issued before the change: the server refuses them (new
        // security stamp), so on pages they are anonymous visitors until they sign in again. Their API tokens are
        // judged by the account now: the disabled user's is refused, the demoted user's carries the analyst's rights.
        var api = path.StartsWith("/api/v1/", StringComparison.Ordinal);
        var signedIn = caller is Caller.Analyst or Caller.Editor or Caller.Admin || (api && caller == Caller.Demoted);
        var role = caller switch { Caller.Admin => Access.Admins, Caller.Editor => Access.Editors, _ => Access.SignedIn };
        return access switch
        {
            Access.Anyone => Opens,
            _ when !signedIn => ToLogin,
            Access.SignedIn => Opens,
            Access.Editors => role is Access.Editors or Access.Admins ? Opens : Refused,
            Access.Admins => role == Access.Admins ? Opens : Refused,
            _ => throw new InvalidOperationException(path),
        };
    }

    /// <summary>Real keys for the route parameters: a seeded company, investor and person, the first id of each table.</summary>
    private async Task<Dictionary<string, string>> RouteValuesAsync()
    {
        await using var db = _app.Db();
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["/companies"] = "deepseek",
            ["/investors"] = await db.Investors.OrderBy(i => i.Id).Select(i => i.Slug).FirstAsync(),
            ["/people"] = await db.People.OrderBy(p => p.Id).Select(p => p.Slug).FirstAsync(),
            ["/events"] = (await db.CompanyEvents.MinAsync(e => e.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["/models"] = (await db.ModelReleases.MinAsync(e => e.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["/rounds"] = (await db.FundingRounds.MinAsync(e => e.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["/valuations"] = (await db.ValuationPoints.MinAsync(e => e.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["/sources"] = (await db.Sources.MinAsync(e => e.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["/exchange-rates"] = (await db.ExchangeRates.MinAsync(e => e.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["/round-labels"] = (await db.RoundLabelMappings.MinAsync(e => e.Id)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A pattern with its parameter filled by the value for the collection it follows (/api/v1 and the prefix dropped).</summary>
    private static string Concrete(string pattern, Dictionary<string, string> values) =>
        ParameterRegex().Replace(pattern, m =>
        {
            var before = pattern[..m.Index].Replace("/api/v1", "", StringComparison.Ordinal).TrimEnd('/');
            var collection = before[before.LastIndexOf('/')..];
            return values.TryGetValue(collection, out var value) ? value : throw new InvalidOperationException($"no value for {m.Value} in {pattern}");
        });

    [GeneratedRegex(@"\{\w+(:[^}]*)?\}")]
    private static partial Regex ParameterRegex();

    private async Task<List<CallerClient>> CallersAsync()
    {
        var callers = new List<CallerClient> { new(Caller.Anonymous, AccountHttp.Client(_app.App), null) };
        foreach (var (kind, email) in new[] { (Caller.Analyst, EditingApp.Analyst), (Caller.Editor, EditingApp.Editor), (Caller.Admin, EditingApp.Admin) })
        {
            callers.Add(await SignedInAsync(kind, email, AccountHttp.DemoPassword));
        }
        await CreateEditorAsync(DisabledEmail);
        await CreateEditorAsync(DemotedEmail);
        var disabled = await SignedInAsync(Caller.Disabled, DisabledEmail, Password);
        var demoted = await SignedInAsync(Caller.Demoted, DemotedEmail, Password);
        // Their sessions and tokens were good a moment ago; now an admin acts, through the app's own service.
        var admin = await _app.ServiceAsAsync<UserAdminService>(EditingApp.Admin);
        using var scope = _app.App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        Assert.True((await admin.SetDisabledAsync((await users.FindByEmailAsync(DisabledEmail))!.Id, true)).Succeeded);
        var demotedId = (await users.FindByEmailAsync(DemotedEmail))!.Id;
        Assert.True((await admin.SetRoleAsync(demotedId, Roles.Analyst, true)).Succeeded);
        Assert.True((await admin.SetRoleAsync(demotedId, Roles.Editor, false)).Succeeded);
        callers.Add(disabled);
        callers.Add(demoted);
        return callers;
    }

    private async Task CreateEditorAsync(string email)
    {
        using var scope = _app.App.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join("; ", created.Errors.Select(e => e.Description)));
        Assert.True((await users.AddToRoleAsync(user, Roles.Editor)).Succeeded);
    }

    private async Task<CallerClient> SignedInAsync(Caller kind, string email, string password)
    {
        var client = AccountHttp.Client(_app.App);
        await AccountHttp.LoginOrFailAsync(client, email, password);
        var tokens = await _app.ServiceAsAsync<ApiTokenService>(email);
        var token = await tokens.CreateAsync("matrix", 30);
        Assert.True(token.Succeeded, token.Error);
        return new CallerClient(kind, client, token.Created!.Token);
    }

    /// <summary>One caller: a cookie client for pages, and (signed-in callers) the API token they created meanwhile.</summary>
    private sealed class CallerClient(Caller kind, HttpClient client, string? token)
    {
        public Caller Kind => kind;

        public async Task<(HttpStatusCode Status, string Location)> GetAsync(string path)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (path.StartsWith("/api/v1", StringComparison.Ordinal) && token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }
            using var response = await client.SendAsync(request);
            return (response.StatusCode, AccountHttp.PathOf(response.Headers.Location));
        }

        public async Task<HttpStatusCode> NegotiateAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }

        public async Task<HttpStatusCode> SendTokenAsync(HttpMethod method, string path)
        {
            using var request = new HttpRequestMessage(method, path)
            {
                Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
                Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) },
            };
            using var response = await client.SendAsync(request);
            return response.StatusCode;
        }
    }
}

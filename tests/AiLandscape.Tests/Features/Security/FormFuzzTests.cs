using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.ApiTokens;
using AiLandscape.Web.Features.Disputes;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.RoundLabels;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Security;

/// <summary>
/// The malformed input of <see cref="FuzzTests"/> where the API is not the way in: the query parameters of every page
/// (found by reflection, so a new one cannot be left out) and the downloads that read them, the static account forms
/// over HTTP (sign-in, the sign-in code, change password, two-factor setup and management), and the services behind
/// the interactive forms (new user and the user search, API tokens, round labels, dispute resolutions), called as
/// their Blazor pages call them. No server error, no exception, and whatever is refused writes nothing.
/// </summary>
[RunsLong(150)]
public sealed partial class FormFuzzTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("form_fuzz", new()
    {
        ["RateLimiting:PermitLimit"] = "1000000",
        // Wrong sign-in codes count towards the lockout: a locked account would stop checking the codes sent after.
        ["Accounts:MaxFailedLogins"] = "1000000",
    });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A table whose rows a refused input must leave as they were, but for the columns named.</summary>
    private sealed record Table(string Name, string[] Ignored);

    private static readonly Table Users = new("AspNetUsers", []);
    private static readonly Table UserRoles = new("AspNetUserRoles", []);
    /// <summary>Authenticator keys, recovery codes, the last code step used.</summary>
    private static readonly Table UserTokens = new("AspNetUserTokens", []);
    private static readonly Table ApiTokens = new("api_tokens", []);

    /// <summary>Each parameter of a page gets every <c>Stride</c>-th corpus value (values of most kinds, the corpus being
    /// ordered by kind), starting one further along for each parameter, so a page with that many parameters covers the
    /// whole corpus: the full corpus for each of some 100 parameters (pages and downloads) took two minutes.</summary>
    private const int Stride = 10;

    /// <summary>Downloads that read the same query parameters as a page (their own code, outside the API's document).</summary>
    private static readonly Dictionary<string, string[]> DownloadsOf = new()
    {
        ["/rounds"] = ["/export/rounds.csv"],
        ["/models"] = ["/export/models.csv"],
        ["/compare"] = ["/compare.csv", "/export/valuations.csv"],
    };

    [Fact]
    public async Task Every_query_parameter_of_every_page_takes_malformed_input_without_a_server_error()
    {
        var pages = PagesWithQueryParameters();
        var parameterCount = pages.Sum(p => p.Parameters.Count);
        Assert.True(parameterCount >= 60, $"only {parameterCount} query parameters found on {pages.Count} pages");
        Assert.Contains(pages, p => p.Path == "/companies" && p.Parameters.Contains("q"));
        foreach (var page in DownloadsOf.Keys)
        {
            Assert.Contains(pages, p => p.Path == page);
        }

        // As an editor: the editors' pages (history, disputes) read their parameters too.
        using var client = AccountHttp.Client(_app.App);
        await AccountHttp.LoginOrFailAsync(client, EditingApp.Editor);
        // Its first view makes the editor's authenticator key and renews the session: not while other requests run.
        await client.GetStringAsync("/account/two-factor");
        var requests = pages
            .SelectMany(p => (DownloadsOf.GetValueOrDefault(p.Path) ?? []).Prepend(p.Path).Select(path => (Path: path, p.Parameters)))
            .SelectMany(p => p.Parameters.SelectMany((name, j) => FuzzTests.UrlEncodedCorpus
                .Where((_, i) => i % Stride == j % Stride)
                .Select(value => p.Path + (p.Path.Contains('?') ? "&" : "?") + name + "=" + value)))
            .ToList();
        var before = await DigestAsync();
        var errors = new ConcurrentBag<string>();
        // A few at a time: each page waits on the database most of its time.
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (url, ct) =>
        {
            try
            {
                using var response = await client.GetAsync(url, ct);
                var body = await response.Content.ReadAsStringAsync(ct); // a download that fails half-way throws here
                if ((int)response.StatusCode >= 500)
                {
                    errors.Add($"{FuzzTests.Shorten(url)}: {(int)response.StatusCode} {FuzzTests.Shorten(body)}");
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException or InvalidOperationException)
            {
                errors.Add($"{FuzzTests.Shorten(url)}: {e.GetType().Name}: {FuzzTests.Shorten(e.Message)}");
            }
        });
        // One line a page parameter that failed: how often, and its first failure.
        Assert.True(errors.IsEmpty, $"{errors.Count} of {requests.Count} page requests failed on the server:\n" + string.Join("\n",
            errors.Order().GroupBy(e => e[..e.IndexOf('=')]).Select(g => $"{g.Count()}x {g.First()}")));
        Assert.Equal(before, await DigestAsync()); // reading a page writes nothing (no audit entry)
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/account/me")).StatusCode); // still the editor's pages
    }

    [Fact]
    public async Task The_sign_in_forms_take_malformed_input_without_a_server_error_or_a_sign_in()
    {
        var errors = new List<string>();
        using var client = AccountHttp.Client(_app.App);
        // The email alone, and inside an address that passes the format check so it reaches the database look-up.
        errors.AddRange(await FuzzFormAsync(client, "/account/login", "login",
            new() { ["Input.Email"] = "nobody@example.org", ["Input.Password"] = "Wrong-Password-1" },
            [["Input.Email"], ["Input.Password"]], [Users, UserTokens], alsoAsEmail: "Input.Email"));

        // The code step after the admin's right password: wrong codes count towards the lockout (the counter may
        // change), nothing else.
        var passwordStep = await AccountHttp.PasswordStepAsync(client, EditingApp.Admin, AccountHttp.DemoPassword);
        Assert.True(AccountHttp.IsCodeStep(passwordStep), $"the admin's password answered {(int)passwordStep.StatusCode}");
        errors.AddRange(await FuzzFormAsync(client, AccountHttp.PathOf(passwordStep.Headers.Location), "login-code",
            new() { ["Input.Code"] = Totp.WrongCode(Totp.DemoAdminKey), ["Input.RememberMe"] = "false" },
            [["Input.Code"], ["Input.RememberMe"]], [new Table("AspNetUsers", ["access_failed_count", "concurrency_stamp", "lockout_end"]), UserTokens],
            hidden: "Input.RememberMe"));

        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(40)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/account/me")).StatusCode);
    }

    [Fact]
    public async Task The_password_and_two_factor_forms_take_malformed_input_without_a_server_error_or_a_write()
    {
        var errors = new List<string>();
        using (var analyst = AccountHttp.Client(_app.App))
        {
            await AccountHttp.LoginOrFailAsync(analyst, EditingApp.Analyst);
            var fields = new Dictionary<string, string>
            {
                ["Input.CurrentPassword"] = AccountHttp.DemoPassword,
                ["Input.NewPassword"] = "Fuzzed-Password-2026",
                ["Input.ConfirmPassword"] = "Fuzzed-Password-2026",
            };
            // A new password the rules allow is taken (any text may be a password): it is the current one from then on.
            errors.AddRange(await FuzzFormAsync(analyst, "/account/change-password", "change-password", fields,
                [["Input.CurrentPassword"], ["Input.NewPassword", "Input.ConfirmPassword"]], [Users, ApiTokens],
                accepted: html => html.Contains("data-testid=\"password-changed\"", StringComparison.Ordinal),
                onAccepted: password => fields["Input.CurrentPassword"] = password));
        }
        using (var editor = AccountHttp.Client(_app.App))
        {
            await AccountHttp.LoginOrFailAsync(editor, EditingApp.Editor);
            errors.AddRange(await FuzzFormAsync(editor, "/account/two-factor", "two-factor-enable", new() { ["Enable.Code"] = "" },
                [["Enable.Code"]], [Users, UserTokens]));
        }
        using (var admin = AccountHttp.Client(_app.App))
        {
            await AccountHttp.LoginOrFailAsync(admin, EditingApp.Admin);
            errors.AddRange(await FuzzFormAsync(admin, "/account/two-factor", "two-factor-manage",
                new() { ["Manage.Code"] = Totp.WrongCode(Totp.DemoAdminKey), ["Manage.Action"] = "disable" },
                [["Manage.Code"], ["Manage.Action"]], [Users, UserTokens]));
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(40)));
    }

    [Fact]
    public async Task The_new_user_form_the_user_search_and_the_token_form_take_malformed_input_without_an_error_or_a_write()
    {
        var users = await _app.ServiceAsAsync<UserAdminService>(EditingApp.Admin);
        var n = 0;
        // The dialog filled in right (a new email each time, so a taken value does not refuse the next), but for one field.
        async Task<bool> CreateAsync(Action<CreateUserRequest> change)
        {
            var request = new CreateUserRequest { Email = $"fuzz-{++n}@example.org", DisplayName = "Fuzz", Password = "Fuzzed-Password-2026" };
            change(request);
            return (await users.CreateAsync(request)).Succeeded;
        }
        var errors = new List<string>();
        Table[] accounts = [Users, UserRoles];
        errors.AddRange(await FuzzServiceAsync("Email", FuzzTests.Corpus.Concat(FuzzTests.Corpus.Select(v => v + "@example.org")),
            v => CreateAsync(r => r.Email = v), accounts));
        errors.AddRange(await FuzzServiceAsync("Display name", FuzzTests.Corpus, v => CreateAsync(r => r.DisplayName = v), accounts));
        errors.AddRange(await FuzzServiceAsync("Password", FuzzTests.Corpus, v => CreateAsync(r => r.Password = v), accounts));
        errors.AddRange(await FuzzServiceAsync("Role", FuzzTests.Corpus, v => CreateAsync(r => r.Roles = [v]), accounts));
        errors.AddRange(await FuzzServiceAsync("User search", FuzzTests.Corpus, async v =>
        {
            await users.ListAsync(new UserQuery(v));
            return false;
        }, accounts));

        // The token form: a name, and an expiry from a list (a circuit could send any number). Each token taken is
        // revoked at once, so the limit of active tokens never refuses the next value.
        var tokens = await _app.ServiceAsAsync<ApiTokenService>(EditingApp.Editor);
        async Task<bool> TokenAsync(string name, int? days)
        {
            var created = await tokens.CreateAsync(name, days);
            return created.Succeeded && (await tokens.RevokeAsync(created.Created!.Row.Id)).Succeeded;
        }
        errors.AddRange(await FuzzServiceAsync("Token name", FuzzTests.Corpus, v => TokenAsync(v, 30), [ApiTokens]));
        errors.AddRange(await FuzzServiceAsync<int?>("Token expiry", [null, 0, -1, 366, int.MaxValue, int.MinValue], v => TokenAsync("fuzz", v), [ApiTokens]));
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(40)));
    }

    [Fact]
    public async Task The_round_label_form_and_its_search_take_malformed_input_without_an_error_or_a_write()
    {
        var labels = await _app.ServiceAsAsync<RoundLabelService>(EditingApp.Editor);
        var mapping = (await labels.ListAsync(new RoundLabelQuery())).Items[0].Id;
        // The form as loaded (its version fresh: an accepted value changed the row), with one field changed.
        async Task<bool> EditAsync(Action<RoundLabelRequest> change)
        {
            var request = (await labels.EditAsync(mapping))!;
            change(request);
            return (await labels.SaveAsync(request)).Succeeded;
        }
        Table[] table = [new("round_label_mappings", [])];
        var errors = new List<string>();
        errors.AddRange(await FuzzServiceAsync("Label", FuzzTests.Corpus, v => EditAsync(r => r.Label = v), table));
        errors.AddRange(await FuzzServiceAsync("Notes", FuzzTests.Corpus, v => EditAsync(r => r.Notes = v), table));
        errors.AddRange(await FuzzServiceAsync<RoundStage?>("Stage", [null, (RoundStage)(-1), (RoundStage)999], v => EditAsync(r => r.Stage = v), table));
        errors.AddRange(await FuzzServiceAsync("New label", FuzzTests.Corpus,
            async v => (await labels.SaveAsync(new RoundLabelRequest { Label = v, Stage = RoundStage.SeriesA })).Succeeded, table));
        // The list's search box and the hint the round form shows as a label is typed.
        errors.AddRange(await FuzzServiceAsync("Label search", FuzzTests.Corpus, async v =>
        {
            await labels.ListAsync(new RoundLabelQuery(v));
            await labels.MatchAsync(v);
            return false;
        }, table));
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(40)));
    }

    [Fact]
    public async Task The_dispute_resolution_form_takes_malformed_input_without_an_error_or_a_write()
    {
        var disputes = await _app.ServiceAsAsync<DisputeService>(EditingApp.Editor);
        var page = await disputes.ListAsync(DisputeStatus.All, 1, DisputeService.MaxPageSize);
        // One dispute of each kind of field: a date, a text, a URL, an amount, and one whose decision writes no value.
        var keys = page.Items.GroupBy(d => d.Kind).Select(g => g.First().Key).ToList();
        Assert.True(keys.Count >= 4, $"disputes of only {keys.Count} kinds of field");
        Table[] tables = [new("dispute_resolutions", []), new("companies", []), new("funding_rounds", []), new("valuation_points", []), new("model_releases", [])];
        var errors = new List<string>();
        foreach (var key in keys)
        {
            // The dialog as the page opens it for the first value, the list loaded again after an accepted value (the
            // record and its decision have new versions then).
            DisputeItem? item = null;
            var loadedAt = DateTimeOffset.UtcNow;
            async Task<bool> ResolveAsync(Action<ResolveDisputeRequest> change)
            {
                if (item is null)
                {
                    var fresh = await disputes.ListAsync(DisputeStatus.All, 1, DisputeService.MaxPageSize);
                    (item, loadedAt) = (fresh.Items.Single(d => d.Key == key), fresh.LoadedAt);
                }
                var request = DisputeService.NewRequest(item, item.Values[0], loadedAt);
                request.Reason = "The stronger source";
                change(request);
                var saved = (await disputes.ResolveAsync(request)).Succeeded;
                item = saved ? null : item;
                return saved;
            }
            var kind = page.Items.First(d => d.Key == key).Kind;
            if (key == keys[0])
            {
                // The reason is checked alike whatever the field: once is enough.
                errors.AddRange(await FuzzServiceAsync($"{key} reason", FuzzTests.Corpus, v => ResolveAsync(r => r.Reason = v), tables));
            }
            if (kind is DisputeFieldKind.Date or DisputeFieldKind.Text or DisputeFieldKind.Url)
            {
                errors.AddRange(await FuzzServiceAsync($"{key} value", FuzzTests.Corpus, v => ResolveAsync(r => r.Text = v), tables));
            }
            if (kind == DisputeFieldKind.Amount)
            {
                // The amount field reads typed text ("1.2 billion", "12亿") into the amount, as AmountField does.
                errors.AddRange(await FuzzServiceAsync($"{key} amount", FuzzTests.Corpus,
                    v => ResolveAsync(r => r.Amount = AmountParser.TryParse(v, out var read) ? read!.Min : null), tables));
                errors.AddRange(await FuzzServiceAsync($"{key} currency", FuzzTests.Corpus, v => ResolveAsync(r => r.Currency = v), tables));
            }
        }
        Assert.True(errors.Count == 0, string.Join("\n", errors.Take(40)));
    }

    /// <summary>
    /// Calls <paramref name="attempt"/> with each value, as a Blazor circuit calls the service behind a form field (true:
    /// the value was taken). It must not throw, and a refused value leaves <paramref name="tables"/> and the audit trail
    /// as they were.
    /// </summary>
    private async Task<List<string>> FuzzServiceAsync<T>(string field, IEnumerable<T> values, Func<T, Task<bool>> attempt, Table[] tables)
    {
        var errors = new List<string>();
        var before = await DigestAsync(tables);
        foreach (var value in values)
        {
            bool accepted;
            try
            {
                accepted = await attempt(value);
            }
            catch (Exception e)
            {
                errors.Add($"{field} = {FuzzTests.Shorten(value?.ToString() ?? "null")}: {e.GetType().Name}: {FuzzTests.Shorten(e.Message)}");
                accepted = false;
            }
            var now = await DigestAsync(tables);
            if (!accepted && now != before)
            {
                errors.Add($"{field} = {FuzzTests.Shorten(value?.ToString() ?? "null")}: refused, but written");
            }
            before = now;
        }
        return errors;
    }

    /// <summary>
    /// Posts a static form once for each corpus value in each group of <paramref name="fuzzed"/> fields (the others as
    /// <paramref name="fields"/> has them), encoded by hand so that bytes that are not UTF-8 reach the server. A refused
    /// post answers the form again with a message and leaves <paramref name="tables"/> as they were; none signs in.
    /// </summary>
    /// <param name="alsoAsEmail">A field whose values are also sent inside an email address.</param>
    /// <param name="hidden">A field the page fills in itself (a hidden input): a value it cannot read refuses the post
    /// without a message, which no person typing sees.</param>
    private async Task<List<string>> FuzzFormAsync(HttpClient client, string path, string form, Dictionary<string, string> fields,
        string[][] fuzzed, Table[] tables, Func<string, bool>? accepted = null, Action<string>? onAccepted = null, string? alsoAsEmail = null,
        string? hidden = null)
    {
        var errors = new List<string>();
        var token = AccountHttp.AntiforgeryToken(await client.GetStringAsync(path));
        var before = await DigestAsync(tables);
        foreach (var group in fuzzed)
        {
            // The corpus as sent (URL-encoded) with what the server reads from it (null: bytes that are not UTF-8).
            var values = FuzzTests.UrlEncodedCorpus.Select((encoded, i) => (Encoded: encoded, Raw: i < FuzzTests.Corpus.Length ? FuzzTests.Corpus[i] : null));
            if (alsoAsEmail is not null && group.Contains(alsoAsEmail))
            {
                values = values.Concat(values.Select(v => (v.Encoded + "%40example.org", v.Raw is null ? null : v.Raw + "@example.org")));
            }
            foreach (var (encoded, raw) in values.ToList())
            {
                var body = string.Join("&", fields.Where(f => !group.Contains(f.Key))
                    .Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value))
                    .Concat(group.Select(name => Uri.EscapeDataString(name) + "=" + encoded))
                    .Append("_handler=" + Uri.EscapeDataString(form))
                    .Append("__RequestVerificationToken=" + Uri.EscapeDataString(token)));
                using var content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
                content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
                using var response = await client.PostAsync(path, content);
                var html = await response.Content.ReadAsStringAsync();
                var what = $"{path} {string.Join('+', group)} = {FuzzTests.Shorten(raw ?? encoded)}";
                var taken = accepted?.Invoke(html) == true;
                var now = await DigestAsync(tables);
                // ASP.NET Core refuses a form body with a NUL (400) before the page reads it.
                var refusedWithNul = response.StatusCode == HttpStatusCode.BadRequest && raw?.Contains('\0', StringComparison.Ordinal) == true;
                if ((int)response.StatusCode >= 500)
                {
                    errors.Add($"{what}: {(int)response.StatusCode} {FuzzTests.Shorten(html)}");
                }
                else if (response.StatusCode != HttpStatusCode.OK && !refusedWithNul)
                {
                    // A redirect is a sign-in; another 400 means the form never saw the value (antiforgery, binding).
                    errors.Add($"{what}: {(int)response.StatusCode} {response.Headers.Location}");
                }
                else if (!taken && !refusedWithNul && !(hidden is not null && group.Contains(hidden)) && !RefusalMessage().IsMatch(html))
                {
                    errors.Add($"{what}: refused without a message");
                }
                if (!taken && now != before)
                {
                    errors.Add($"{what}: refused, but written");
                }
                if (taken && raw is not null)
                {
                    onAccepted?.Invoke(raw);
                }
                before = now;
                token = AccountHttp.AntiforgeryTokenOrNull(html) ?? AccountHttp.AntiforgeryToken(await client.GetStringAsync(path));
            }
        }
        return errors;
    }

    /// <summary>Every routable component's query parameters ([SupplyParameterFromQuery]), at an address that opens it.</summary>
    private static List<(string Path, List<string> Parameters)> PagesWithQueryParameters() =>
        typeof(AppDbContext).Assembly.GetTypes()
            .Select(t => (
                Routes: t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template).ToList(),
                Parameters: t.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                    .Select(p => (p.Name, Attribute: p.GetCustomAttribute<SupplyParameterFromQueryAttribute>()))
                    .Where(p => p.Attribute is not null)
                    .Select(p => p.Attribute!.Name ?? p.Name)
                    .ToList()))
            .Where(p => p.Routes.Count > 0 && p.Parameters.Count > 0)
            .Select(p => (Path: RouteValues().Replace(p.Routes.MinBy(r => r.Count(c => c == '{'))!, m => m.Groups[1].Value != "Slug" ? "1"
                : m.Groups["segment"].Value switch { "investors" => "tencent", "people" => "kai-fu-lee", _ => "deepseek" }), p.Parameters))
            .OrderBy(p => p.Path, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// What a refused input may change nowhere: the number of audit entries, and the rows of <paramref name="tables"/>
    /// (a hash of each row but its ignored columns).
    /// </summary>
    private async Task<string> DigestAsync(params Table[] tables)
    {
        var parts = tables.Select(t =>
            $"(SELECT coalesce(md5(string_agg(h, '' ORDER BY h)), '') FROM (SELECT md5((to_jsonb(r) - ARRAY[{string.Join(',', t.Ignored.Select(c => $"'{c}'"))}]::text[])::text) AS h FROM \"{t.Name}\" r) x)");
        var sql = "SELECT " + string.Join(" || '|' || ", parts.Prepend("(SELECT count(*)::text FROM audit_entries)")) + " AS \"Value\"";
        await using var db = _app.Db();
        return await db.Database.SqlQueryRaw<string>(sql).SingleAsync();
    }

    /// <summary>A form's error, or a field's validation message.</summary>
    [GeneratedRegex("data-testid=\"[a-z-]*error\"|class=\"validation-message\"")]
    private static partial Regex RefusalMessage();

    /// <summary>A route's parameters, with the path segment before them.</summary>
    [GeneratedRegex(@"(?<=/(?<segment>[a-z-]+)/)\{(\w+)(:\w+)?\}")]
    private static partial Regex RouteValues();
}

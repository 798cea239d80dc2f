using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.ApiTokens;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.ApiTokens;

/// <summary>
/// The write API for rounds over HTTP: personal tokens (created, hashed, revoked), the cookie, the same rules,
/// conflicts and audit trail as the form, and refusals for anonymous callers, analysts and revoked tokens.
/// </summary>
public class WriteApiTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("write_api");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<string> TokenOfAsync(string email, string name = "script")
    {
        var tokens = await _app.ServiceAsAsync<ApiTokenService>(email);
        var result = await tokens.CreateAsync(name, 30);
        Assert.True(result.Succeeded, result.Error);
        return result.Created!.Token;
    }

    private HttpClient WithToken(string? token)
    {
        var client = _app.App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    private async Task<JsonObject> NewRoundAsync(decimal amount = 500_000_000m, string url = "https://example.com/deepseek-a")
    {
        await using var db = _app.Db();
        var deepseek = await db.Companies.SingleAsync(c => c.Slug == "deepseek");
        var tencent = await db.Investors.SingleAsync(i => i.Slug == "tencent");
        return new JsonObject
        {
            ["companyId"] = deepseek.Id,
            ["announcedOn"] = "2026-03",
            ["stage"] = "SeriesA",
            ["disclosure"] = "Disclosed",
            ["currency"] = "USD",
            ["amount"] = amount,
            ["participations"] = new JsonArray(new JsonObject { ["investorId"] = tencent.Id, ["isLead"] = true }),
            ["sources"] = new JsonArray(new JsonObject { ["url"] = url, ["title"] = "DeepSeek raises", ["publisher"] = "Example" }),
        };
    }

    [Fact]
    public async Task A_token_is_shown_once_stored_hashed_writes_as_its_owner_and_is_refused_once_revoked()
    {
        var token = await TokenOfAsync(EditingApp.Editor, "notebook");
        Assert.StartsWith("ail_", token);
        await using var db = _app.Db();
        var stored = await db.ApiTokens.SingleAsync();
        Assert.NotEqual(token, stored.TokenHash);
        Assert.Equal(ApiTokenService.Hash(token), stored.TokenHash);
        Assert.DoesNotContain(token, JsonSerializer.Serialize(await (await _app.ServiceAsAsync<ApiTokenService>(EditingApp.Editor)).ListMineAsync()));

        using var client = WithToken(token);
        var created = await client.PostAsJsonAsync("/api/v1/rounds", await NewRoundAsync());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>();
        Assert.Equal($"/api/v1/rounds/{id}/edit", created.Headers.Location!.OriginalString);
        var entry = await db.AuditEntries.SingleAsync(a => a.RecordType == RecordType.FundingRound && a.RecordId == id);
        Assert.Equal("Demo Editor", entry.UserName);
        Assert.NotNull((await db.ApiTokens.AsNoTracking().SingleAsync()).LastUsedAt);

        var tokens = await _app.ServiceAsAsync<ApiTokenService>(EditingApp.Editor);
        Assert.True((await tokens.RevokeAsync(stored.Id)).Succeeded);
        var refused = await client.PostAsJsonAsync("/api/v1/rounds", await NewRoundAsync(url: "https://example.com/other"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(1, await db.FundingRounds.CountAsync(r => r.Company.Slug == "deepseek"));
        Assert.False((await tokens.RevokeAsync(stored.Id)).Succeeded);
    }

    [Fact]
    public async Task Anonymous_callers_analysts_and_tokens_of_disabled_editors_cannot_write()
    {
        var analystToken = await TokenOfAsync(EditingApp.Analyst);
        var editorToken = await TokenOfAsync(EditingApp.Editor);
        await using var db = _app.Db();
        var round = await db.FundingRounds.OrderBy(r => r.Id).FirstAsync();

        using (var anonymous = WithToken(null))
        {
            var refused = await anonymous.PostAsJsonAsync("/api/v1/rounds", await NewRoundAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            Assert.Equal(401, (await refused.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<int>());
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync($"/api/v1/rounds/{round.Id}?version={round.Version}")).StatusCode);
        }
        using (var bogus = WithToken("ail_not-a-real-token"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await bogus.PostAsJsonAsync("/api/v1/rounds", await NewRoundAsync())).StatusCode);
        }
        using (var analyst = WithToken(analystToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync("/api/v1/rounds", await NewRoundAsync())).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PutAsJsonAsync($"/api/v1/rounds/{round.Id}", new JsonObject { ["version"] = round.Version })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await analyst.DeleteAsync($"/api/v1/rounds/{round.Id}?version={round.Version}")).StatusCode);
        }
        using (var analystCookie = AccountHttp.Client(_app.App))
        {
            await AccountHttp.LoginOrFailAsync(analystCookie, EditingApp.Analyst);
            Assert.Equal(HttpStatusCode.Forbidden, (await analystCookie.PostAsJsonAsync("/api/v1/rounds", await NewRoundAsync())).StatusCode);
        }
        var admin = await _app.ServiceAsAsync<UserAdminService>(EditingApp.Admin);
        var editorId = (await db.Users.SingleAsync(u => u.Email == EditingApp.Editor)).Id;
        Assert.True((await admin.SetDisabledAsync(editorId, disabled: true)).Succeeded);
        using (var disabled = WithToken(editorToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await disabled.PostAsJsonAsync("/api/v1/rounds", await NewRoundAsync())).StatusCode);
        }
        Assert.True(await db.FundingRounds.AnyAsync(r => r.Id == round.Id));
        Assert.False(await db.FundingRounds.AnyAsync(r => r.Company.Slug == "deepseek"));
        Assert.Equal(0, await db.AuditEntries.CountAsync());
    }

    [Fact]
    public async Task The_api_applies_the_forms_rules_conflicts_and_confirmations()
    {
        using var client = AccountHttp.Client(_app.App);
        await AccountHttp.LoginOrFailAsync(client, EditingApp.Editor);
        await using var db = _app.Db();

        var bad = await NewRoundAsync(amount: -5);
        bad["sources"]!.AsArray()[0]!["url"] = "ftp://example.com";
        var invalid = await client.PostAsJsonAsync("/api/v1/rounds", bad);
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("application/problem+json", invalid.Content.Headers.ContentType!.MediaType);
        var problem = (await invalid.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal("Amount must be zero or more.", problem["errors"]!["amount"]![0]!.GetValue<string>());
        Assert.Equal("New source 1: URL must be an absolute http:// or https:// URL.", problem["errors"]!["sources[0].url"]![0]!.GetValue<string>());
        Assert.Equal(0, await db.FundingRounds.CountAsync(r => r.Company.Slug == "deepseek"));

        var low = await NewRoundAsync();
        low["postMoneyValuation"] = 1_000_000m;
        var ask = await client.PostAsJsonAsync("/api/v1/rounds", low);
        Assert.Equal(HttpStatusCode.Conflict, ask.StatusCode);
        Assert.Contains("Post-money valuation is below the amount raised", (await ask.Content.ReadFromJsonAsync<JsonObject>())!["warnings"]![0]!["message"]!.GetValue<string>());
        low["confirmed"] = true;
        var created = await client.PostAsJsonAsync("/api/v1/rounds", low);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<int>();

        var form = (await client.GetFromJsonAsync<JsonObject>($"/api/v1/rounds/{id}/edit"))!;
        Assert.Equal("2026-03", form["announcedOn"]!.GetValue<string>());
        Assert.Equal("SeriesA", form["stage"]!.GetValue<string>());
        var version = form["version"]!.GetValue<uint>();
        form["confirmed"] = true; // the post-money is still below the amount
        var stale = form.DeepClone().AsObject();
        form["notes"] = "first edit";
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/rounds/{id}", form)).StatusCode);
        stale["notes"] = "second edit";
        var conflict = await client.PutAsJsonAsync($"/api/v1/rounds/{id}", stale);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        var changes = (await conflict.Content.ReadFromJsonAsync<JsonObject>())!["changes"]!.AsArray();
        Assert.Contains(changes, c => c!["fields"]!.AsArray().Any(f => f!["field"]!.GetValue<string>() == "notes" && f["new"]!.GetValue<string>() == "first edit"));
        Assert.Equal("first edit", (await db.FundingRounds.AsNoTracking().SingleAsync(r => r.Id == id)).Notes);

        Assert.Equal(HttpStatusCode.BadRequest, (await client.DeleteAsync($"/api/v1/rounds/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.DeleteAsync($"/api/v1/rounds/{id}?version={version}")).StatusCode);
        var current = (await db.FundingRounds.AsNoTracking().SingleAsync(r => r.Id == id)).Version;
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/rounds/{id}?version={current}")).StatusCode);
        Assert.False(await db.FundingRounds.AnyAsync(r => r.Id == id));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/rounds/{id}/edit")).StatusCode);
    }

    [Fact]
    public async Task Token_names_are_checked_and_only_the_owner_sees_and_revokes_a_token()
    {
        var tokens = await _app.ServiceAsAsync<ApiTokenService>(EditingApp.Editor);
        Assert.Equal("Name is required: say what the token is for (e.g. \"notebook\").", (await tokens.CreateAsync("  ", 30)).Error);
        Assert.Equal("Expires in must be between 1 and 365 days.", (await tokens.CreateAsync("x", 0)).Error);
        Assert.Equal("Expires in must be between 1 and 365 days.", (await tokens.CreateAsync("x", null)).Error);
        Assert.Equal("Expires in must be between 1 and 365 days.", (await tokens.CreateAsync("x", 366)).Error);
        var mine = (await tokens.CreateAsync("mine", 365)).Created!;
        Assert.InRange(mine.Row.ExpiresAt!.Value, DateTimeOffset.UtcNow.AddDays(364), DateTimeOffset.UtcNow.AddDays(366));
        var others = await _app.ServiceAsAsync<ApiTokenService>(EditingApp.Admin);
        Assert.Empty(await others.ListMineAsync());
        Assert.False((await others.RevokeAsync(mine.Row.Id)).Succeeded);
        Assert.Single(await tokens.ListMineAsync());
        await Assert.ThrowsAsync<ForbiddenException>(async () => await (await _app.ServiceAsAsync<ApiTokenService>(null)).ListMineAsync());
    }

    public static TheoryData<string, string> Resources => new()
    {
        { "companies", "select slug as \"Value\" from companies order by id limit 1" },
        { "people", "select slug as \"Value\" from people order by id limit 1" },
        { "investors", "select slug as \"Value\" from investors order by id limit 1" },
        { "valuations", "select id::text as \"Value\" from valuation_points order by id limit 1" },
        { "events", "select id::text as \"Value\" from company_events order by id limit 1" },
        { "models", "select id::text as \"Value\" from model_releases order by id limit 1" },
        { "sources", "select id::text as \"Value\" from sources order by id limit 1" },
        { "exchange-rates", "select id::text as \"Value\" from exchange_rates order by id limit 1" },
    };

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task Every_record_type_is_written_through_the_api_with_its_rules_conflicts_and_refusals(string resource, string firstKey)
    {
        await using var db = _app.Db();
        var id = await db.Database.SqlQueryRaw<string>(firstKey).FirstAsync();
        using var editor = WithToken(await TokenOfAsync(EditingApp.Editor));
        using var analyst = WithToken(await TokenOfAsync(EditingApp.Analyst));
        using var anonymous = WithToken(null);

        var form = (await editor.GetFromJsonAsync<JsonObject>($"/api/v1/{resource}/{id}/edit"))!;
        Assert.True(form["id"]!.GetValue<int>() > 0);
        Assert.True(form["version"]!.GetValue<uint>() > 0);
        form["confirmed"] = true;
        var stale = form.DeepClone().AsObject();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PutAsJsonAsync($"/api/v1/{resource}/{id}", form)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PutAsJsonAsync($"/api/v1/{resource}/{id}", form)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analyst.PostAsJsonAsync($"/api/v1/{resource}", new JsonObject())).StatusCode);
        Assert.Equal(0, await db.AuditEntries.CountAsync());

        var saved = await editor.PutAsJsonAsync($"/api/v1/{resource}/{id}", form);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var conflict = await editor.PutAsJsonAsync($"/api/v1/{resource}/{id}", stale);
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.EndsWith("#conflict", (await conflict.Content.ReadFromJsonAsync<JsonObject>())!["type"]!.GetValue<string>());

        var invalid = await editor.PostAsJsonAsync($"/api/v1/{resource}", new JsonObject());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.NotEmpty((await invalid.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject());
        Assert.Equal(HttpStatusCode.NotFound, (await editor.GetAsync($"/api/v1/{resource}/999999/edit")).StatusCode);
        Assert.Equal(0, await db.AuditEntries.CountAsync(a => a.Action != AuditAction.Update));
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using AiLandscape.Faults;
using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Features.ApiTokens;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Hosting;
using Npgsql;

namespace AiLandscape.Tests.Hosting;

/// <summary>A primary of its own, migrated and seeded once by the app; each test adds a replica (pg_basebackup -R).</summary>
public sealed class ReplicaPrimary : IAsyncLifetime
{
    public Cluster Primary { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Primary = await Cluster.CreateAsync();
        await using var app = new AppFactory(Primary.ConnectionString());
        _ = app.Services; // migrated, seeded, demo accounts created
    }

    public async Task DisposeAsync() => await Primary.DisposeAsync();
}

/// <summary>
/// ConnectionStrings:AiLandscapeRead pointing at a streaming replica (ADR 0020): anonymous readers are served by the
/// replica, an editor sees their own edit at once however far the replica lags, and a replica that goes away leaves
/// every read answered by the primary.
/// </summary>
public sealed class ReadReplicaTests(ReplicaPrimary fixture) : IClassFixture<ReplicaPrimary>
{
    private static CompanyRequest NewCompany(string slug) => new()
    {
        NameEn = "Replica Test " + slug, Slug = slug, FoundedOn = "2024-03", Summary = "Written while the replica lagged.",
        Sources = [new SourceInput { Url = $"https://news.example.com/{slug}", Title = "Replica test", PublishedOn = "2024-03-05" }],
    };

    private static AppFactory App(Cluster primary, Cluster replica) => new(primary.ConnectionString(), settings: new()
    {
        ["ConnectionStrings:" + ReplicaReads.ConnectionName] = replica.ConnectionString(),
    });

    private static async Task<AsyncServiceScope> AsAsync(AppFactory app, string? email)
    {
        var scope = app.Services.CreateAsyncScope();
        AccountHttp.SignInCircuit(scope.ServiceProvider, email is null
            ? new ClaimsPrincipal(new ClaimsIdentity())
            : await AccountHttp.PrincipalOfAsync(scope.ServiceProvider, email));
        return scope;
    }

    private static async Task<T> ScalarAsync<T>(Cluster cluster, string sql)
    {
        await using var conn = new NpgsqlConnection(cluster.ConnectionString() + ";Pooling=false");
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Readers_see_the_replica_but_an_editor_sees_their_own_edit_at_once_while_replay_is_paused()
    {
        await using var replica = await fixture.Primary.CreateReplicaAsync();
        await using var app = App(fixture.Primary, replica);
        await using var editor = await AsAsync(app, EditingApp.Editor);
        await using var reader = await AsAsync(app, null);
        var editorReads = editor.ServiceProvider.GetRequiredService<CompanyService>();
        var anonymousReads = reader.ServiceProvider.GetRequiredService<CompanyService>();
        Assert.NotNull(await anonymousReads.GetProfileAsync("deepseek"));

        await ScalarAsync<object>(replica, "SELECT pg_wal_replay_pause()::text");
        var saved = await editor.ServiceProvider.GetRequiredService<CompanyEditService>().SaveAsync(NewCompany("replica-paused"));
        Assert.Equal(SaveStatus.Saved, saved.Status);

        // The editor reads their edit (from the primary); an anonymous reader is on the replica, which has not replayed it.
        Assert.Equal("Replica Test replica-paused", (await editorReads.GetProfileAsync("replica-paused"))?.NameEn);
        Assert.Null(await anonymousReads.GetProfileAsync("replica-paused"));
        // So does the API, with no sign-in: served by the replica.
        using var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/companies/replica-paused")).StatusCode);

        // An API caller writes with their token (the read API does not ask for it) and reads their write back at once.
        var token = await editor.ServiceProvider.GetRequiredService<ApiTokenService>().CreateAsync("replica", 30);
        using var caller = app.CreateClient();
        caller.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Created!.Token);
        using var created = await caller.PostAsJsonAsync("/api/v1/companies", NewCompany("replica-api"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await caller.GetAsync("/api/v1/companies/replica-api")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/v1/companies/replica-api")).StatusCode);

        await ScalarAsync<object>(replica, "SELECT pg_wal_replay_resume()::text");
        var target = await ScalarAsync<string>(fixture.Primary, "SELECT pg_current_wal_insert_lsn()::text");
        while (!await ScalarAsync<bool>(replica, $"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn"))
        {
            await Task.Delay(50);
        }
        Assert.NotNull(await anonymousReads.GetProfileAsync("replica-paused"));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/companies/replica-paused")).StatusCode);
        // Caught up: the editor's reads go back to the replica.
        Assert.NotNull(await editorReads.GetProfileAsync("replica-paused"));
        Assert.Equal(0, app.Services.GetRequiredService<ReplicaReads>().PendingUsers);
    }

    [Fact]
    public async Task Reads_are_answered_by_the_primary_once_the_replica_stops_and_readiness_holds()
    {
        await using var replica = await fixture.Primary.CreateReplicaAsync();
        await using var app = App(fixture.Primary, replica);
        using var http = app.CreateClient();
        var pages = new[] { "/api/v1/companies", "/api/v1/companies/deepseek", "/companies/moonshot-ai", "/api/v1/rounds" };
        foreach (var page in pages)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(page)).StatusCode);
        }
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());

        // Idle pooled connections to the replica break with it: the reads that take them are retried on the primary.
        replica.StopImmediate();

        foreach (var page in pages.Concat(pages))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(page)).StatusCode);
        }
        ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
    }
}

using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Tests.Features.Editing;

/// <summary>
/// The real app on its own copy of the seeded database, with scopes signed in as the demo users: what edit-service
/// tests need. Create one per test class (IAsyncLifetime) and dispose it.
/// </summary>
public sealed class EditingApp : IAsyncDisposable
{
    public const string Admin = "admin@example.com";
    public const string Editor = "editor@example.com";
    public const string Analyst = "analyst@example.com";

    private EditingApp(AppFactory app) => App = app;

    public AppFactory App { get; }

    /// <param name="realSocket">Serve on a loopback port (Kestrel parses the requests, as in production) rather than in memory.</param>
    public static async Task<EditingApp> StartAsync(string purpose, Dictionary<string, string?>? settings = null, bool realSocket = false)
    {
        var pg = await TestPostgres.GetAsync();
        var app = new AppFactory(await pg.CreateDatabaseAsync(purpose), settings: settings, realSocket: realSocket);
        _ = app.Services; // migrated, seeded, demo accounts created
        return new EditingApp(app);
    }

    /// <summary>A scope whose CurrentUser is the given demo user (null: anonymous), as a Blazor circuit would be.</summary>
    public async Task<AsyncServiceScope> AsAsync(string? email)
    {
        var scope = App.Services.CreateAsyncScope();
        AccountHttp.SignInCircuit(scope.ServiceProvider, email is null
            ? new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity())
            : await AccountHttp.PrincipalOfAsync(scope.ServiceProvider, email));
        return scope;
    }

    /// <summary>A service of a scope signed in as the user; the scope lives until the app is disposed.</summary>
    public async Task<T> ServiceAsAsync<T>(string? email) where T : notnull
    {
        var scope = await AsAsync(email);
        _scopes.Add(scope);
        return scope.ServiceProvider.GetRequiredService<T>();
    }

    private readonly List<AsyncServiceScope> _scopes = [];

    /// <summary>A fresh context to look at what is stored.</summary>
    public AppDbContext Db() => App.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();

    /// <summary>
    /// A context as the tables' owner, for what the app's own role may not do (ADR 0025): rewriting the audit trail
    /// (backdating entries), emptying tables as a crash would.
    /// </summary>
    public AppDbContext OwnerDb() => TestPostgres.ContextFactory(App.OwnerConnectionString).CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        foreach (var scope in _scopes)
        {
            await scope.DisposeAsync();
        }
        await App.DisposeAsync();
    }
}

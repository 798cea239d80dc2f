using AiLandscape.Tests.Features.Editing;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.AsOf;
using AiLandscape.Web.Features.Dashboard;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.History;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Tests.Hosting;

/// <summary>
/// The app runs as a role that is not a superuser and owns no table (ADR 0025): what an SQL injection or a bug in
/// the app could do is bounded by it. Above all, the audit trail is append-only for it: the app cannot rewrite its
/// own history, and a revert appends.
/// </summary>
public class DatabaseRoleTests : IAsyncLifetime
{
    private EditingApp _app = null!;

    public async Task InitializeAsync() => _app = await EditingApp.StartAsync("db_role");

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Runs SQL on the app's own connection (its role), as an injected statement would.</summary>
    private async Task<PostgresException?> RefusalOfAsync(string sql)
    {
        await using var db = _app.Db();
        try
        {
            await db.Database.ExecuteSqlRawAsync(sql);
            return null;
        }
        catch (PostgresException ex)
        {
            return ex;
        }
    }

    private async Task<int> AddRoundAsync()
    {
        var service = await _app.ServiceAsAsync<RoundEditService>(EditingApp.Editor);
        var r = (await service.NewAsync("deepseek"))!.Request;
        r.AnnouncedOn = "2026-02";
        r.Stage = RoundStage.SeriesA;
        r.Currency = "USD";
        r.Amount = 100_000_000m;
        r.Sources = [new SourceInput { Url = "https://example.com/db-role", Title = "A round", PublishedOn = "2026-02" }];
        var saved = await service.SaveAsync(r);
        Assert.True(saved.Succeeded, string.Join(" | ", saved.Errors.Select(e => e.Message)));
        return saved.Id!.Value;
    }

    [Fact]
    public async Task The_app_connects_as_a_role_that_is_no_superuser_owns_no_table_and_cannot_change_the_schema()
    {
        await using var db = _app.Db();
        var who = await db.Database.SqlQueryRaw<string>("SELECT current_user::text AS \"Value\"").SingleAsync();
        Assert.Equal(EmbeddedPostgres.AppRole, who);
        Assert.False(await db.Database.SqlQueryRaw<bool>(
            "SELECT rolsuper OR rolcreaterole OR rolcreatedb OR rolbypassrls AS \"Value\" FROM pg_roles WHERE rolname = current_user").SingleAsync());
        Assert.Equal(0, await db.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user").SingleAsync());

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync("CREATE TABLE public.planted (x int)"))?.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync("ALTER TABLE companies ADD COLUMN planted int"))?.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync("DROP TABLE funding_rounds"))?.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync("TRUNCATE companies CASCADE"))?.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync("DELETE FROM seed_history"))?.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync("DELETE FROM \"__EFMigrationsHistory\""))?.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync("CREATE ROLE planted LOGIN"))?.SqlState);
        Assert.True(await db.Companies.AnyAsync());
    }

    [Fact]
    public async Task The_audit_trail_is_append_only_for_the_app_and_a_revert_appends()
    {
        await AddRoundAsync();
        await using var db = _app.Db();
        var written = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        var entry = written[0];

        var update = await RefusalOfAsync($"UPDATE audit_entries SET user_name = 'someone else' WHERE id = {entry.Id}");
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, update?.SqlState);
        Assert.Contains("audit_entries", update!.MessageText);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync($"DELETE FROM audit_entries WHERE id = {entry.Id}"))?.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync("TRUNCATE audit_entries"))?.SqlState);
        await Assert.ThrowsAsync<PostgresException>(() =>
            db.AuditEntries.Where(a => a.Id == entry.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.UserName, "x")));

        // Undoing the change is new entries; the ones it undoes stay as written.
        var revert = await (await _app.ServiceAsAsync<HistoryService>(EditingApp.Editor)).RevertAsync(entry.ChangeSetId);
        Assert.True(revert.Succeeded, string.Join(" | ", revert.Errors.Select(e => e.Message)));
        var entries = await db.AuditEntries.AsNoTracking().OrderBy(a => a.Id).ToListAsync();
        Assert.Equal(written.Select(e => (e.Id, e.UserName, e.Changes, e.Action)),
            entries.Take(written.Count).Select(e => (e.Id, e.UserName, e.Changes, e.Action)));
        Assert.Contains(entries.Skip(written.Count), e => e.Action == AuditAction.Revert);
    }

    [Fact]
    public async Task The_apps_writes_keep_their_history_which_the_app_can_read_but_not_rewrite()
    {
        var id = await AddRoundAsync();
        await using var db = _app.Db();
        // The editor's save (as the app's role) wrote the round's version through the owner's trigger.
        var versions = await db.Database.SqlQuery<int>(
            $"SELECT count(*)::int AS \"Value\" FROM funding_rounds_history WHERE id = {id} AND upper_inf(valid) AND NOT lower_inf(valid)").SingleAsync();
        Assert.Equal(1, versions);

        var update = await RefusalOfAsync($"UPDATE funding_rounds_history SET valid = tstzrange('-infinity', NULL) WHERE id = {id}");
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, update?.SqlState);
        Assert.Contains("funding_rounds_history", update!.MessageText);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync($"DELETE FROM companies_history"))?.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync("INSERT INTO sources_history SELECT * FROM sources_history LIMIT 1"))?.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, (await RefusalOfAsync("DROP TRIGGER keep_history_of_updates ON companies"))?.SqlState);
    }

    [Fact]
    public async Task Views_as_of_a_day_read_as_the_app_role_which_may_create_no_schema()
    {
        await AddRoundAsync();
        foreach (var mode in new[] { AsOfMode.EventTime, AsOfMode.KnowledgeTime })
        {
            var view = new AsOfView(new DateOnly(2025, 1, 1), mode);
            var landscape = await new DashboardService(_app.App.Services.GetRequiredService<AsOfContexts>().For(view)).GetAsync();
            Assert.True(landscape.Funding.Sum(f => f.Rounds) > 0);
        }

        await using var db = _app.Db();
        Assert.False(await db.Database.SqlQueryRaw<bool>(
            "SELECT has_database_privilege(current_user, current_database(), 'CREATE') AS \"Value\"").SingleAsync());
        Assert.Equal(0, await db.Database.SqlQueryRaw<int>(
            "SELECT count(*)::int AS \"Value\" FROM pg_namespace WHERE nspname LIKE 'as\\_of\\_%'").SingleAsync());
    }
}

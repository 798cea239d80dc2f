using System.Data.Common;
using AiLandscape.Tests.Features.Accounts;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Editing;
using AiLandscape.Web.Features.Sources;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace AiLandscape.Tests.Features.Editing;

/// <summary>
/// The database commits a save but its answer never reaches the app (the connection or the server dies right
/// then). The app retries transient failures; the retry must find the save done rather than write it twice.
/// </summary>
public sealed class LostCommitAnswerTests
{
    [Fact]
    public async Task A_save_whose_commit_answer_is_lost_is_saved_once_with_one_audit_entry()
    {
        var pg = await TestPostgres.GetAsync();
        var fault = new LoseNextCommitAnswer();
        await using var plain = new AppFactory(await pg.CreateDatabaseAsync("lost_commit_answer"));
        await using var app = plain.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
            s.ConfigureDbContext<AppDbContext>(o => o.AddInterceptors(fault))));
        await using var scope = app.Services.CreateAsyncScope();
        AccountHttp.SignInCircuit(scope.ServiceProvider, await AccountHttp.PrincipalOfAsync(scope.ServiceProvider, EditingApp.Editor));
        var sources = scope.ServiceProvider.GetRequiredService<SourceEditService>();
        var title = "Commit answer lost " + Guid.NewGuid().ToString("N");

        fault.Armed = true;
        var saved = await sources.SaveAsync(new SourceRequest
        {
            Title = title, Url = "https://example.com/lost-commit-answer", LoadedAt = DateTimeOffset.UtcNow,
        });

        Assert.Equal(1, fault.Lost); // the answer to the COMMIT was lost once
        Assert.Equal(SaveStatus.Saved, saved.Status);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContextAsync();
        var id = Assert.Single(await db.Sources.Where(s => s.Title == title).Select(s => s.Id).ToListAsync());
        Assert.Equal(id, saved.Id);
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.RecordType == RecordType.Source && a.RecordId == id && a.Action == AuditAction.Create));
    }

    /// <summary>Lets the COMMIT happen, then fails as a dropped connection would (a transient NpgsqlException).</summary>
    private sealed class LoseNextCommitAnswer : DbTransactionInterceptor
    {
        public volatile bool Armed;
        public int Lost;

        public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData,
            CancellationToken cancellationToken = default)
        {
            if (Armed)
            {
                Armed = false;
                Interlocked.Increment(ref Lost);
                throw new NpgsqlException("The connection broke after COMMIT was sent (simulated)", new IOException("simulated"));
            }
            return Task.CompletedTask;
        }
    }
}

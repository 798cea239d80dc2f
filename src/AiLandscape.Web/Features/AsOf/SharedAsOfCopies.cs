using System.Data;
using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Web.Features.AsOf;

/// <summary>
/// Whole-landscape as-of copies, each in a schema of its own named after the day, the sense and the data version
/// (the last audit entry and the number of seed datasets), so every request and every instance asking for the same
/// view reads one copy: the dashboard panels, the company list and each of its pages, every user. Any audited change
/// gives a new version, hence a new copy; copies nobody read for a while are dropped. See ADR 0011.
/// </summary>
public sealed class SharedAsOfCopies(IDbContextFactory<AppDbContext> factory, ILogger<SharedAsOfCopies> logger)
{
    /// <summary>How many copies are kept once idle (each is as large as the tables it copies).</summary>
    public const int Kept = 8;

    /// <summary>A copy unused this long may be dropped; readers touch it at most once a minute, so none is mid-read.</summary>
    public static readonly TimeSpan DroppableAfter = TimeSpan.FromMinutes(5);

    /// <summary>A copy unused this long is dropped even below <see cref="Kept"/>: its data version is likely stale.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    /// <summary>The schema holding the view's copy (built if missing) and the schema of the live tables.</summary>
    public async Task<(string Copy, string Source)> SchemaForAsync(AsOfView view, SemaphoreSlim? gate, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        var probe = await ProbeAsync(db, view, ct);
        if (probe.Found)
        {
            return (probe.Name, probe.Source);
        }
        if (gate is not null)
        {
            await gate.WaitAsync(ct);
        }
        try
        {
            var built = await db.Database.CreateExecutionStrategy().ExecuteAsync(() => BuildAsync(db, view, ct));
            await DropIdleAsync(db, ct);
            return built;
        }
        finally
        {
            gate?.Release();
        }
    }

    private sealed record Probe(string Name, string Source, bool Found);

    /// <summary>
    /// One command: the copy's name for the current data version, whether it exists, and a touch of its last use
    /// (at most once a minute, so hundreds of readers do not queue on one row).
    /// </summary>
    private static async Task<Probe> ProbeAsync(AppDbContext db, AsOfView view, CancellationToken ct)
    {
        var prefix = $"as_of_{view.Date:yyyyMMdd}_{(view.Mode == AsOfMode.KnowledgeTime ? "k" : "e")}_";
        // Not composable (a data-modifying WITH must stay at the top level): read the one row in C#.
        var rows = await db.Database.SqlQueryRaw<Probe>("""
            WITH v AS (
                SELECT @prefix || coalesce((SELECT max(id) FROM audit_entries), 0) || '_'
                       || (SELECT count(*) FROM seed_history) AS name),
            touch AS (
                UPDATE as_of_copies c SET last_used_at = now() FROM v
                WHERE c.schema_name = v.name AND c.last_used_at < now() - interval '1 minute')
            SELECT v.name AS "Name", current_schema() AS "Source",
                   EXISTS (SELECT 1 FROM as_of_copies c WHERE c.schema_name = v.name) AS "Found"
            FROM v
            """, new NpgsqlParameter("prefix", prefix)).ToListAsync(ct);
        return rows.Single();
    }

    /// <summary>
    /// Builds the copy in one repeatable-read transaction (a consistent snapshot of every table and of the version it
    /// is named after) and publishes it by registering it on commit. A session lock per day and sense keeps two
    /// requests, or two instances, from building the same copy at once: the second finds the first one's.
    /// </summary>
    private async Task<(string, string)> BuildAsync(AppDbContext db, AsOfView view, CancellationToken ct)
    {
        var lockKey = $"as_of_{view.Date:yyyyMMdd}_{view.Mode}";
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(hashtext(@k))", [new NpgsqlParameter("k", lockKey)], ct);
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
                var probe = await ProbeAsync(db, view, ct);
                if (probe.Found)
                {
                    await tx.CommitAsync(ct);
                    return (probe.Name, probe.Source);
                }
                var started = DateTimeOffset.UtcNow;
                var copy = AsOfDbContextFactory.Quote(probe.Name);
                // The name is built here from digits (day, audit id, seed count); quoted all the same.
                var createAndUse = $"CREATE SCHEMA {copy}; SET LOCAL search_path TO {copy}, {AsOfDbContextFactory.Quote(probe.Source)};";
                await db.Database.ExecuteSqlRawAsync(createAndUse, ct);
                await AsOfDbContextFactory.CopyAsync(db, view, probe.Source, copy, "UNLOGGED TABLE", null, ct);
                await db.Database.ExecuteSqlRawAsync(
                    "INSERT INTO as_of_copies (schema_name, built_at, last_used_at) VALUES (@n, now(), now())",
                    [new NpgsqlParameter("n", probe.Name)], ct);
                await tx.CommitAsync(ct);
                logger.LogInformation("Built the as-of copy {Schema} in {Elapsed} ms", probe.Name,
                    (int)(DateTimeOffset.UtcNow - started).TotalMilliseconds);
                return (probe.Name, probe.Source);
            }
            finally
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(hashtext(@k))", [new NpgsqlParameter("k", lockKey)], CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Drops copies idle for <see cref="DroppableAfter"/> beyond the <see cref="Kept"/> most recently used, and any idle for <see cref="StaleAfter"/>.</summary>
    private async Task DropIdleAsync(AppDbContext db, CancellationToken ct)
    {
        var idle = await db.Database.SqlQueryRaw<string>("""
            SELECT schema_name AS "Value" FROM (
                SELECT schema_name, last_used_at, row_number() OVER (ORDER BY last_used_at DESC) AS rank FROM as_of_copies) c
            WHERE c.last_used_at < now() - @droppable AND (c.rank > @kept OR c.last_used_at < now() - @stale)
            """, new NpgsqlParameter("droppable", DroppableAfter), new NpgsqlParameter("kept", Kept),
            new NpgsqlParameter("stale", StaleAfter)).ToListAsync(ct);
        foreach (var name in idle)
        {
            var drop = $"DROP SCHEMA IF EXISTS {AsOfDbContextFactory.Quote(name)} CASCADE; DELETE FROM as_of_copies WHERE schema_name = @n";
            await db.Database.ExecuteSqlRawAsync(drop, [new NpgsqlParameter("n", name)], ct);
            logger.LogInformation("Dropped the idle as-of copy {Schema}", name);
        }
    }
}

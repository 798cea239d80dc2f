using System.Collections.Concurrent;
using System.Data;
using System.Security.Cryptography;
using System.Text;
using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Web.Features.AsOf;

/// <summary>
/// Whole-landscape as-of copies, each in a schema of its own named after the day, the sense, the data version (the
/// count of committed audited changes and of seed datasets) and the copy format (the schema's last migration), so
/// every request and every instance asking for the same view reads one copy: the dashboard panels, the company list
/// and each of its pages, every user. Any audited change gives a new version, hence a new copy; copies nobody read for
/// a while are dropped. See ADR 0011.
/// </summary>
public sealed class SharedAsOfCopies(IDbContextFactory<AppDbContext> factory, ILogger<SharedAsOfCopies> logger)
{
    /// <summary>How many copies are kept once idle (each is as large as the tables it copies).</summary>
    public const int Kept = 8;

    /// <summary>A copy unused this long may be dropped; readers touch it at most once a minute, so none is mid-read.</summary>
    public static readonly TimeSpan DroppableAfter = TimeSpan.FromMinutes(5);

    /// <summary>A copy unused this long is dropped even below <see cref="Kept"/>: its data version is likely stale.</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromHours(1);

    private readonly ConcurrentDictionary<string, Lazy<Task<Probe>>> _building = new();
    private string? _format;

    /// <summary>
    /// A context reading the view's copy (built first if missing): a pooled connection whose search path starts with
    /// the copy's schema. The pool resets the search path when the connection goes back (forced on, whatever the
    /// configured connection string says).
    /// </summary>
    public async Task<AppDbContext> ReaderAsync(AsOfView view, SemaphoreSlim? gate, CancellationToken ct)
    {
        var copy = await CopyForAsync(view, gate, ct);
        var db = await factory.CreateDbContextAsync(ct);
        try
        {
            db.Database.SetConnectionString(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
            {
                NoResetOnClose = false,
            }.ConnectionString);
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("SELECT set_config('search_path', @path, false)",
                [new NpgsqlParameter("path", AsOfDbContextFactory.Quote(copy.Name) + ", " + copy.SearchPath)], ct);
            db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
    }

    private async Task<Probe> CopyForAsync(AsOfView view, SemaphoreSlim? gate, CancellationToken ct)
    {
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            var probe = await ProbeAsync(db, view, ct);
            if (probe.Found)
            {
                return probe;
            }
        }
        // One build per day and sense in this instance; the others wait for it. It runs to the end even if the
        // request that started it goes away: it takes seconds and everyone after reads it.
        var key = LockKey(view);
        var build = _building.GetOrAdd(key, _ => new Lazy<Task<Probe>>(() => BuildThenForgetAsync(key, view, gate)));
        return await build.Value.WaitAsync(ct);
    }

    private async Task<Probe> BuildThenForgetAsync(string key, AsOfView view, SemaphoreSlim? gate)
    {
        try
        {
            return await BuildAsync(view, gate);
        }
        finally
        {
            _building.TryRemove(key, out _);
        }
    }

    private static string LockKey(AsOfView view) => $"as_of_{view.Date:yyyyMMdd}_{view.Mode}";

    private sealed record Probe(string Name, string Source, string SearchPath, bool Found);

    /// <summary>
    /// One command: the copy's name for the current data version; whether it exists, was built since the server last
    /// started (unlogged tables are emptied by a crash) and is not being dropped; and a touch of its last use, at most
    /// once a minute so that hundreds of readers do not queue on one row. A copy used within the minute cannot be
    /// dropped (that takes five idle minutes); an older one counts only if this touch updated its row, which a
    /// concurrent drop's delete would have prevented.
    /// </summary>
    private async Task<Probe> ProbeAsync(AppDbContext db, AsOfView view, CancellationToken ct)
    {
        var prefix = $"as_of_{view.Date:yyyyMMdd}_{(view.Mode == AsOfMode.KnowledgeTime ? "k" : "e")}_";
        // Not composable (a data-modifying WITH must stay at the top level): read the one row in C#.
        var rows = await db.Database.SqlQueryRaw<Probe>("""
            WITH v AS (
                SELECT @prefix || (SELECT value FROM change_counter WHERE id = 1) || '_'
                       || (SELECT count(*) FROM seed_history) || '_' || @format AS name),
            copy AS (
                SELECT c.schema_name, c.last_used_at, c.built_at >= pg_postmaster_start_time() AS intact
                FROM as_of_copies c JOIN v ON c.schema_name = v.name),
            touch AS (
                UPDATE as_of_copies c SET last_used_at = now() FROM copy
                WHERE c.schema_name = copy.schema_name AND copy.intact AND copy.last_used_at < now() - interval '1 minute'
                RETURNING c.schema_name)
            SELECT v.name AS name, current_schema() AS source, current_setting('search_path') AS search_path,
                   EXISTS (SELECT 1 FROM copy WHERE intact AND last_used_at >= now() - interval '1 minute')
                   OR EXISTS (SELECT 1 FROM touch) AS found
            FROM v
            """, new NpgsqlParameter("prefix", prefix), new NpgsqlParameter("format", Format(db))).ToListAsync(ct);
        return rows.Single();
    }

    /// <summary>The copy format: copies made under an older schema (an added column) or older rules are not reused.</summary>
    private string Format(AppDbContext db) => _format ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        (db.Database.GetMigrations().LastOrDefault() ?? "") + "|" + AsOfDbContextFactory.CopyFormat)))[..8];

    /// <summary>
    /// Builds the copy in one repeatable-read transaction (a consistent snapshot of every table and of the version it
    /// is named after) and publishes it by registering it on commit. A session lock per day and sense keeps two
    /// instances from building the same copy at once: the second finds the first one's. Each retry of a transient
    /// failure starts again on a fresh context.
    /// </summary>
    private async Task<Probe> BuildAsync(AsOfView view, SemaphoreSlim? gate)
    {
        var ct = CancellationToken.None;
        await using var first = await factory.CreateDbContextAsync(ct);
        var built = await first.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await db.Database.OpenConnectionAsync(ct);
            var lockKey = new NpgsqlParameter("k", LockKey(view));
            var locked = false;
            try
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(hashtext(@k))", [lockKey], ct);
                locked = true;
                if (gate is not null)
                {
                    await gate.WaitAsync(ct);
                }
                try
                {
                    return await BuildLockedAsync(db, view, ct);
                }
                finally
                {
                    gate?.Release();
                }
            }
            finally
            {
                if (locked)
                {
                    await UnlockAsync(db, LockKey(view));
                }
            }
        });
        await DropIdleAsync(ct);
        return built;
    }

    private async Task<Probe> BuildLockedAsync(AppDbContext db, AsOfView view, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        var probe = await ProbeAsync(db, view, ct);
        if (probe.Found)
        {
            await tx.CommitAsync(ct);
            return probe;
        }
        var started = DateTimeOffset.UtcNow;
        var copy = AsOfDbContextFactory.Quote(probe.Name);
        // The name is built here from digits and hex (day, counters, format); quoted all the same. A copy left from
        // before a restart is empty (unlogged): it is replaced.
        var create = $"""
            DROP SCHEMA IF EXISTS {copy} CASCADE;
            DELETE FROM as_of_copies WHERE schema_name = @n;
            CREATE SCHEMA {copy};
            SELECT set_config('search_path', @path, true);
            """;
        await db.Database.ExecuteSqlRawAsync(create,
            [new NpgsqlParameter("n", probe.Name), new NpgsqlParameter("path", copy + ", " + probe.SearchPath)], ct);
        await AsOfDbContextFactory.CopyAsync(db, view, probe.Source, copy, "UNLOGGED TABLE", null, ct);
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO as_of_copies (schema_name, built_at, last_used_at) VALUES (@n, now(), now())",
            [new NpgsqlParameter("n", probe.Name)], ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Built the as-of copy {Schema} in {Elapsed} ms", probe.Name,
            (int)(DateTimeOffset.UtcNow - started).TotalMilliseconds);
        return probe with { Found = true };
    }

    private async Task UnlockAsync(AppDbContext db, string key)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(hashtext(@k))", [new NpgsqlParameter("k", key)]);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // A broken connection has released its session lock already.
            logger.LogWarning(ex, "Could not release the as-of build lock {Key}", key);
        }
    }

    /// <summary>
    /// Drops copies idle for <see cref="DroppableAfter"/> beyond the <see cref="Kept"/> most recently used, any idle
    /// for <see cref="StaleAfter"/>, and any left empty by a restart. Each drop deletes its registration first, only
    /// if still idle (a reader's touch locks the row, so one of them waits for the other), in the same transaction.
    /// </summary>
    private async Task DropIdleAsync(CancellationToken ct)
    {
        List<string> candidates;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            candidates = await db.Database.SqlQueryRaw<string>("""
                SELECT schema_name AS "Value" FROM (
                    SELECT schema_name, last_used_at, built_at,
                           row_number() OVER (ORDER BY last_used_at DESC) AS rank FROM as_of_copies) c
                WHERE built_at < pg_postmaster_start_time()
                   OR (last_used_at < now() - @droppable AND (rank > @kept OR last_used_at < now() - @stale))
                """, new NpgsqlParameter("droppable", DroppableAfter), new NpgsqlParameter("kept", Kept),
                new NpgsqlParameter("stale", StaleAfter)).ToListAsync(ct);
        }
        foreach (var name in candidates)
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var gone = await db.Database.SqlQueryRaw<string>("""
                    DELETE FROM as_of_copies
                    WHERE schema_name = @n AND (built_at < pg_postmaster_start_time() OR last_used_at < now() - @droppable)
                    RETURNING schema_name AS "Value"
                    """, new NpgsqlParameter("n", name), new NpgsqlParameter("droppable", DroppableAfter)).ToListAsync(ct);
                if (gone.Count > 0)
                {
                    var drop = $"DROP SCHEMA IF EXISTS {AsOfDbContextFactory.Quote(name)} CASCADE";
                    await db.Database.ExecuteSqlRawAsync(drop, ct);
                }
                await tx.CommitAsync(ct);
                if (gone.Count > 0)
                {
                    logger.LogInformation("Dropped the idle as-of copy {Schema}", name);
                }
            });
        }
    }
}

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
    /// A context reading the view's copy (built first if missing): a pooled connection on which
    /// <see cref="AsOfSearchPathInterceptor"/> puts the copy's schema first each time it opens. The pool resets the
    /// path when the connection goes back (reset is forced on if the connection string turned it off).
    /// </summary>
    public async Task<AppDbContext> ReaderAsync(AsOfView view, SemaphoreSlim? gate, CancellationToken ct)
    {
        var copy = await CopyForAsync(view, gate, ct);
        var db = await factory.CreateDbContextAsync(ct);
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
            if (connection.NoResetOnClose)
            {
                connection.NoResetOnClose = false;
                db.Database.SetConnectionString(connection.ConnectionString);
            }
            AsOfSearchPathInterceptor.Read(db, copy.Name, copy.SearchPath);
            await db.Database.OpenConnectionAsync(ct);
            if (!AsOfSearchPathInterceptor.IsApplied(db))
            {
                throw new InvalidOperationException(
                    $"Register {nameof(AsOfSearchPathInterceptor)} on the AppDbContext options: without it an as-of reader would read today's tables.");
            }
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
        Probe wanted;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            wanted = await ProbeAsync(db, view, ct);
        }
        if (wanted.Found)
        {
            return wanted;
        }
        // One build per day and sense in this instance; the others wait for it. It runs to the end even if the
        // request that started it goes away: it takes seconds and everyone after reads it. A build that started
        // before this request saw a change it must show is not enough: then build again.
        while (true)
        {
            var key = LockKey(view);
            var build = _building.GetOrAdd(key, _ => new Lazy<Task<Probe>>(() => BuildThenForgetAsync(key, view, gate)));
            var built = await build.Value.WaitAsync(ct);
            if (built.Version >= wanted.Version)
            {
                return built;
            }
        }
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

    /// <summary>The copies of one day and sense share a lock (and a name prefix): their builds and drops take turns.</summary>
    private static string LockKey(AsOfView view) => $"as_of_{view.Date:yyyyMMdd}_{(view.Mode == AsOfMode.KnowledgeTime ? "k" : "e")}";

    private static string LockKeyOf(string copy) => copy.Length > "as_of_yyyyMMdd_e".Length ? copy[.."as_of_yyyyMMdd_e".Length] : copy;

    private sealed record Probe(string Name, string Source, string SearchPath, long Version, bool Found);

    /// <summary>
    /// One command: the copy's name for the current data version; whether it is registered with its schema (the
    /// registry is unlogged like the copies, so a crash or a failover empties both); and a touch of its last use, at
    /// most once a minute so that hundreds of readers do not queue on one row. A copy used within the minute cannot
    /// be dropped (that takes five idle minutes); an older one counts only if this touch updated its row, which a
    /// concurrent drop's delete would have prevented.
    /// </summary>
    private async Task<Probe> ProbeAsync(AppDbContext db, AsOfView view, CancellationToken ct)
    {
        // Not composable (a data-modifying WITH must stay at the top level): read the one row in C#.
        var rows = await db.Database.SqlQueryRaw<Probe>("""
            WITH v AS (
                SELECT (SELECT value FROM change_counter WHERE id = 1) AS version,
                       (SELECT count(*) FROM seed_history) AS seeds),
            n AS (SELECT @prefix || '_' || v.version || '_' || v.seeds || '_' || @format AS name, v.version FROM v),
            copy AS (
                SELECT c.schema_name, c.last_used_at FROM as_of_copies c JOIN n ON c.schema_name = n.name
                WHERE EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = c.schema_name)),
            touch AS (
                UPDATE as_of_copies c SET last_used_at = now() FROM copy
                WHERE c.schema_name = copy.schema_name AND copy.last_used_at < now() - interval '1 minute'
                RETURNING c.schema_name)
            SELECT n.name AS name, current_schema() AS source, current_setting('search_path') AS search_path,
                   n.version AS version,
                   EXISTS (SELECT 1 FROM copy WHERE last_used_at >= now() - interval '1 minute')
                   OR EXISTS (SELECT 1 FROM touch) AS found
            FROM n
            """, new NpgsqlParameter("prefix", LockKey(view)), new NpgsqlParameter("format", Format(db))).ToListAsync(ct);
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
            var locked = false;
            try
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(hashtext(@k))", [new NpgsqlParameter("k", LockKey(view))], ct);
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
        try
        {
            await DropIdleAsync(ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException)
        {
            // The copy is built and registered; clean-up tries again after the next build.
            logger.LogWarning(ex, "Dropping idle as-of copies failed");
        }
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
        // The name is built here from digits and hex (day, counters, format); quoted all the same. A schema left by a
        // crash (its registration gone with it) or registered without its schema is replaced. Registration first,
        // schema second: the order DropIdleAsync takes them in.
        var create = $"""
            DELETE FROM as_of_copies WHERE schema_name = @n;
            DROP SCHEMA IF EXISTS {copy} CASCADE;
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
    /// for <see cref="StaleAfter"/>, and schemas left without a registration by a crash. Each drop holds its day's
    /// lock (skipped while that day is being built) and deletes the registration first, only if still idle (a
    /// reader's touch locks the row, so one of them waits for the other), in one transaction.
    /// </summary>
    private async Task DropIdleAsync(CancellationToken ct)
    {
        List<string> candidates;
        await using (var db = await factory.CreateDbContextAsync(ct))
        {
            candidates = await db.Database.SqlQueryRaw<string>("""
                SELECT schema_name AS "Value" FROM (
                    SELECT schema_name, last_used_at, row_number() OVER (ORDER BY last_used_at DESC) AS rank
                    FROM as_of_copies) c
                WHERE last_used_at < now() - @droppable AND (rank > @kept OR last_used_at < now() - @stale)
                UNION
                SELECT nspname FROM pg_namespace
                WHERE nspname LIKE 'as\_of\_%' AND nspname NOT IN (SELECT schema_name FROM as_of_copies)
                """, new NpgsqlParameter("droppable", DroppableAfter), new NpgsqlParameter("kept", Kept),
                new NpgsqlParameter("stale", StaleAfter)).ToListAsync(ct);
        }
        foreach (var name in candidates)
        {
            await using var first = await factory.CreateDbContextAsync(ct);
            await first.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var db = await factory.CreateDbContextAsync(ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var droppable = await db.Database.SqlQueryRaw<bool>("""
                    WITH day AS (SELECT pg_try_advisory_xact_lock(hashtext(@k)) AS free),
                    gone AS (
                        DELETE FROM as_of_copies
                        WHERE schema_name = @n AND last_used_at < now() - @droppable AND (SELECT free FROM day)
                        RETURNING schema_name)
                    SELECT (SELECT free FROM day)
                           AND (EXISTS (SELECT 1 FROM gone)
                                OR NOT EXISTS (SELECT 1 FROM as_of_copies WHERE schema_name = @n)) AS "Value"
                    """, new NpgsqlParameter("k", LockKeyOf(name)), new NpgsqlParameter("n", name),
                    new NpgsqlParameter("droppable", DroppableAfter)).ToListAsync(ct);
                if (droppable.Single())
                {
                    var drop = $"DROP SCHEMA IF EXISTS {AsOfDbContextFactory.Quote(name)} CASCADE";
                    await db.Database.ExecuteSqlRawAsync(drop, ct);
                }
                await tx.CommitAsync(ct);
                if (droppable.Single())
                {
                    logger.LogInformation("Dropped the idle as-of copy {Schema}", name);
                }
            });
        }
    }
}

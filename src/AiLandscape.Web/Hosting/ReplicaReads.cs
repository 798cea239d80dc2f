using System.Collections.Concurrent;
using System.Security.Claims;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Accounts;
using AiLandscape.Web.Features.ApiTokens;
using AiLandscape.Web.Features.AsOf;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Web.Hosting;

/// <summary>
/// Reads from a PostgreSQL streaming replica (ConnectionStrings:AiLandscapeRead), see docs/decisions/0020-read-replica.md.
/// <para>
/// The read connection lists the replica's hosts and then the primary, with <c>Target Session Attributes=prefer-standby</c>:
/// Npgsql opens it on the replica while one answers, else on the primary (a host that refused is marked offline and
/// tried again after <c>Host Recheck Seconds</c>, 10 by default). A read whose replica connection breaks is retried by
/// EF's execution strategy, and the retry's new connection goes to the primary.
/// </para>
/// <para>
/// Read-your-writes: after a user's audited write commits, the primary's WAL position is kept for that user (in this
/// instance's memory). Until the replica has replayed past it, that user's reads go to the primary.
/// </para>
/// </summary>
public sealed class ReplicaReads
{
    public const string ConnectionName = "AiLandscapeRead";

    /// <summary>The DI key of the read-routed <see cref="IDbContextFactory{AppDbContext}"/>.</summary>
    public const string Key = "read";

    /// <summary>When a write's WAL position could not be read, its user reads from the primary this long.</summary>
    public static readonly TimeSpan UnknownPositionHold = TimeSpan.FromMinutes(1);

    private readonly DbContextOptions<AppDbContext>? _options;
    private readonly ILogger<ReplicaReads> _log;
    private readonly ConcurrentDictionary<string, PendingWrite> _pending = new(StringComparer.Ordinal);

    private sealed record PendingWrite(long Lsn, DateTime? Until);

    public ReplicaReads(DbContextOptions<AppDbContext>? options, ILogger<ReplicaReads> log)
    {
        _options = options;
        _log = log;
    }

    public bool IsConfigured => _options is not null;

    /// <summary>Users whose reads go to the primary now (for tests and the ADR's "state" paragraph).</summary>
    public int PendingUsers => _pending.Count;

    /// <summary>
    /// The read connection string: the replica's hosts, then the primary's, opened on a standby when one answers.
    /// Credentials and database are the read string's (a physical replica has the primary's roles).
    /// </summary>
    public static string RoutedConnectionString(string read, string primary)
    {
        var builder = new NpgsqlConnectionStringBuilder(read);
        var main = new NpgsqlConnectionStringBuilder(primary);
        var primaryHost = $"{main.Host}:{main.Port}";
        var hosts = (builder.Host ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(h => h.Contains(':', StringComparison.Ordinal) || h.StartsWith('/') ? h : $"{h}:{builder.Port}")
            .ToList();
        if (!hosts.Contains(primaryHost, StringComparer.OrdinalIgnoreCase))
        {
            hosts.Add(primaryHost);
        }
        builder.Host = string.Join(',', hosts);
        builder.TargetSessionAttributes = "prefer-standby";
        return builder.ConnectionString;
    }

    /// <summary>The app's own database options (<see cref="AppDatabaseOptions.UseAppDatabase"/>) on the replica's connection.</summary>
    public static DbContextOptions<AppDbContext> Options(string connectionString, ILoggerFactory loggers)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        builder.UseAppDatabase(connectionString).UseLoggerFactory(loggers);
        return builder.Options;
    }

    /// <summary>Called after a user's write committed on the primary, with the primary's WAL position then (or null).</summary>
    public void RecordWrite(string userId, long? lsn)
    {
        var entry = lsn is { } at ? new PendingWrite(at, null) : new PendingWrite(long.MaxValue, DateTime.UtcNow + UnknownPositionHold);
        _pending.AddOrUpdate(userId, entry, (_, old) => old.Lsn >= entry.Lsn && old.Until is null ? old : entry);
    }

    /// <summary>A context for a read by <paramref name="userId"/> (null: anonymous): the replica's, or the primary's.</summary>
    public async Task<AppDbContext> CreateAsync(string? userId, IDbContextFactory<AppDbContext> primary, CancellationToken ct)
    {
        if (_options is null)
        {
            return await primary.CreateDbContextAsync(ct);
        }
        var db = new AppDbContext(_options);
        if (userId is null || !_pending.TryGetValue(userId, out var pending))
        {
            return db;
        }
        if (pending.Until is { } until)
        {
            if (DateTime.UtcNow < until)
            {
                await db.DisposeAsync();
                return await primary.CreateDbContextAsync(ct);
            }
            _pending.TryRemove(new KeyValuePair<string, PendingWrite>(userId, pending));
            return db;
        }
        try
        {
            // Null on the primary (the read connection fell back to it): it has every write.
            var replayed = await db.Database.SqlQueryRaw<long?>(
                "SELECT CASE WHEN pg_is_in_recovery() THEN (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint END AS \"Value\"")
                .SingleAsync(ct);
            if (replayed is null || replayed >= pending.Lsn)
            {
                _pending.TryRemove(new KeyValuePair<string, PendingWrite>(userId, pending));
                return db;
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            _log.LogWarning(ex, "Could not ask the read replica how far it has replayed; reading from the primary");
        }
        await db.DisposeAsync();
        return await primary.CreateDbContextAsync(ct);
    }
}

/// <summary>
/// The factory read pages and the read API get (keyed <see cref="ReplicaReads.Key"/>): the replica for anonymous
/// readers and for users whose own writes it has replayed, the primary otherwise or when no replica is configured.
/// Scoped: one per request or Blazor circuit, for that user.
/// </summary>
public sealed class ReadDbContextFactory(IDbContextFactory<AppDbContext> primary, ReplicaReads replica, CurrentUser user,
    IHttpContextAccessor http) : IDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext() => CreateDbContextAsync().GetAwaiter().GetResult();

    public async Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await replica.CreateAsync(await UserIdAsync(), primary, cancellationToken);

    /// <summary>
    /// The read API is open without a sign-in, so a bearer token on it is not checked unless reads need a login: a
    /// caller who has just written with their token is then anonymous here. While someone's write is still
    /// unreplayed, the token is checked (as its scheme would) to find whether that caller is one of them.
    /// </summary>
    private async Task<string?> UserIdAsync()
    {
        if (user.UserId is { } id)
        {
            return id;
        }
        if (replica.PendingUsers == 0 || http.HttpContext is not { } context
            || !context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        var result = await context.AuthenticateAsync(ApiTokenAuthenticationHandler.SchemeName);
        return result.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
    }
}

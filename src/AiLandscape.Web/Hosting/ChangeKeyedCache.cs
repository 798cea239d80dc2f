using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace AiLandscape.Web.Hosting;

/// <summary>
/// Whole-landscape figures (the dashboard, the directories' facet pickers, the size of the company table) computed
/// once per data version and kept in this instance's memory. See docs/decisions/0023-change-keyed-cache-and-sort-indexes.md.
/// <para>
/// The version is read with one tiny SQL command on the caller's own context, the one its data come from: the audited
/// change counter (every <c>AuditedWriter</c> save bumps it in its transaction), the seed datasets applied, and the
/// schema the context reads and, for an as-of context, its day and sense. Any committed
/// write on any instance moves the counter, so every instance recomputes on its next read; a replica that has not
/// replayed a write reads the old counter with the old data, so what is cached under a version is never older than it.
/// Writes that bypass the audit and the seed (a hand-made SQL fix) show after <see cref="Lifetime"/> at the latest.
/// </para>
/// <para>
/// Readers asking for a version not computed yet share one computation in this instance (the prerender and its
/// circuit, a crowd after an edit). Bounded: <see cref="Entries"/> values, each dropped after <see cref="Lifetime"/>.
/// </para>
/// </summary>
public sealed class ChangeKeyedCache : IDisposable
{
    /// <summary>How many values are kept (a few kinds times the versions still being read on lagging replicas).</summary>
    public const int Entries = 64;

    /// <summary>How long a value is kept at most: the staleness bound for writes that bypass the audit.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly MemoryCache _memory = new(new MemoryCacheOptions { SizeLimit = Entries });
    private readonly Lock _gate = new();

    /// <summary>
    /// The value named <paramref name="name"/> at the data version <paramref name="db"/> reads, computed by
    /// <paramref name="compute"/> (which must read through the same <paramref name="db"/>) when this instance has not
    /// computed it yet for that version.
    /// </summary>
    /// <param name="lowPriority">Evicted first when the cache is full: for values keyed by what visitors type (a
    /// list's filters), so that many distinct ones cannot push out the whole-landscape figures.</param>
    public async Task<T> GetOrComputeAsync<T>(AppDbContext db, string name, Func<CancellationToken, Task<T>> compute,
        CancellationToken ct = default, bool lowPriority = false)
    {
        var version = await VersionAsync(db, ct);
        if (version is null)
        {
            return await compute(ct);
        }
        var key = (name, typeof(T), version);
        while (true)
        {
            Lazy<Task<T>> entry;
            var created = false;
            lock (_gate)
            {
                if (!_memory.TryGetValue(key, out Lazy<Task<T>>? found) || found is null)
                {
                    created = true;
                    found = new Lazy<Task<T>>(() => compute(ct));
                    _memory.Set(key, found, new MemoryCacheEntryOptions
                    {
                        Size = 1, AbsoluteExpirationRelativeToNow = Lifetime,
                        Priority = lowPriority ? CacheItemPriority.Low : CacheItemPriority.Normal,
                    });
                }
                entry = found;
            }
            var task = entry.Value;
            try
            {
                // The computation runs on the creator's context: the creator waits for its end (its cancellation
                // reaches the computation through compute's token), so the context is never disposed under a query
                // that others are waiting on. Others stop waiting when they are cancelled.
                return created ? await task : await task.WaitAsync(ct);
            }
            catch (Exception) when (task.IsFaulted || task.IsCanceled)
            {
                lock (_gate)
                {
                    if (_memory.TryGetValue(key, out Lazy<Task<T>>? current) && ReferenceEquals(current, entry))
                    {
                        _memory.Remove(key);
                    }
                }
                // Another reader's computation stopped because that reader went away: compute for this one.
                if (task.IsCanceled && !ct.IsCancellationRequested)
                {
                    continue;
                }
                throw;
            }
        }
    }

    /// <summary>
    /// The data version as the context sees it, or null when there is none to key by (no change counter yet). An
    /// as-of context adds its day and sense: it reads other rows of the same tables.
    /// </summary>
    private static async Task<string?> VersionAsync(AppDbContext db, CancellationToken ct)
    {
        var row = (await db.Database.SqlQueryRaw<VersionRow>("""
            SELECT current_schema() AS schema,
                   (SELECT value FROM change_counter WHERE id = 1) AS changes,
                   (SELECT count(*) FROM seed_history) AS seeds,
                   (SELECT max(applied_at) FROM seed_history) AS seeded_at
            """).ToListAsync(ct)).Single();
        var view = db.AsOfKey is { } key ? "|" + key : "";
        return row.Changes is null ? null : $"{row.Schema}|{row.Changes}|{row.Seeds}|{row.SeededAt?.UtcTicks}{view}";
    }

    private sealed record VersionRow(string? Schema, long? Changes, long Seeds, DateTimeOffset? SeededAt);

    public void Dispose() => _memory.Dispose();
}

using AiLandscape.Web.Data;
using AiLandscape.Web.Features.Companies;
using AiLandscape.Web.Features.History;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AiLandscape.Web.Features.AsOf;

/// <summary>
/// Hands out contexts that read the landscape as of a day, so every read service (profile, compare, dashboard) answers
/// "as of" without a second copy of its queries. See docs/decisions/0011-as-of-views.md.
/// <para>
/// The tables that carry figures and dates are copied, filtered by date (event time) or rolled back through the audit
/// trail (knowledge time), and the stored company figures are recomputed on the copies. Unqualified table names then
/// resolve to the copies: PostgreSQL looks them up along the search path, temporary schema first.
/// </para>
/// <para>
/// A profile or a comparison (some companies) gets temporary tables on its own unpooled connection: closing it drops
/// them, nothing leaks into another request. The whole landscape (the dashboard) is copied once into a schema shared by
/// every request for the same day, sense and data version (<see cref="SharedAsOfCopies"/>); its contexts are pooled
/// connections whose search path starts with that schema.
/// </para>
/// </summary>
public sealed class AsOfDbContextFactory(
    IDbContextFactory<AppDbContext> inner, AsOfView view, IReadOnlyCollection<string>? companySlugs = null,
    SemaphoreSlim? gate = null, SharedAsOfCopies? shared = null)
    : IDbContextFactory<AppDbContext>
{
    /// <summary>Record types whose tables are rebuilt; investors, people, sources and exchange rates read as today.</summary>
    public static readonly IReadOnlySet<RecordType> Rebuilt = new HashSet<RecordType>
    {
        RecordType.Company, RecordType.CompanyRole, RecordType.FundingRound, RecordType.Participation,
        RecordType.ValuationPoint, RecordType.CompanyEvent, RecordType.ModelRelease, RecordType.Citation,
        RecordType.DisputeResolution,
    };

    /// <summary>Change it when what a copy holds changes without a migration (rules of the rollback or the figures).</summary>
    public const string CopyFormat = "1";

    public AppDbContext CreateDbContext() => CreateDbContextAsync().GetAwaiter().GetResult();

    public async Task<AppDbContext> CreateDbContextAsync(CancellationToken ct = default)
    {
        if (companySlugs is null && shared is not null)
        {
            return await shared.ReaderAsync(view, gate, ct);
        }
        if (gate is not null)
        {
            await gate.WaitAsync(ct);
        }
        var db = await inner.CreateDbContextAsync(ct);
        try
        {
            // Unpooled: the temporary tables live exactly as long as this context's connection.
            db.Database.SetConnectionString(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
            {
                Pooling = false,
            }.ConnectionString);
            await db.Database.OpenConnectionAsync(ct);
            var schema = await CurrentSchemaAsync(db, ct);
            var ids = companySlugs is null ? null
                : await db.Companies.Where(c => companySlugs.Contains(c.Slug)).Select(c => c.Id).ToArrayAsync(ct);
            await CopyAsync(db, view, schema, "pg_temp", "TABLE", ids, ct);
            db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
            return db;
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
        finally
        {
            gate?.Release();
        }
    }

    internal static Task<string> CurrentSchemaAsync(AppDbContext db, CancellationToken ct) =>
        db.Database.SqlQueryRaw<string>("SELECT current_schema() AS \"Value\"").SingleAsync(ct);

    /// <summary>
    /// Copies the tables of <paramref name="source"/> into <paramref name="target"/> (<c>pg_temp</c> or a schema of
    /// its own) as they stood on the view's day, then recomputes the stored figures there. Unqualified names on this
    /// connection must already resolve to <paramref name="target"/> once the tables exist.
    /// </summary>
    internal static async Task CopyAsync(AppDbContext db, AsOfView view, string source, string target, string tableKind,
        int[]? ids, CancellationToken ct)
    {
        await db.Database.ExecuteSqlRawAsync(ShadowTablesSql(Quote(source), target, tableKind, view.Mode, ids is not null),
            [new NpgsqlParameter("ids", ids ?? []), new NpgsqlParameter("d", view.Date)], ct);
        if (view.Mode == AsOfMode.KnowledgeTime)
        {
            await AuditRollback.UndoAfterAsync(db, view.KnowledgeCutoff, ids, ct);
        }
        await CompanyFiguresUpdater.RefreshAsync(db, ids, ct);
        db.ChangeTracker.Clear();
    }

    internal static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static string ShadowTablesSql(string s, string t, string kind, AsOfMode mode, bool scoped)
    {
        string InScope(string column) => scoped ? $"{column} = ANY(@ids)" : "TRUE";
        var dated = mode == AsOfMode.EventTime;
        string On(string column) => dated ? $" AND {column} <= @d" : "";
        var sql = $"""
            CREATE {kind} {t}.companies AS SELECT * FROM {s}.companies WHERE {InScope("id")};
            CREATE {kind} {t}.company_roles AS SELECT * FROM {s}.company_roles WHERE {InScope("company_id")};
            CREATE {kind} {t}.funding_rounds AS SELECT * FROM {s}.funding_rounds WHERE {InScope("company_id")}{On("announced_on")};
            CREATE {kind} {t}.participations AS SELECT * FROM {s}.participations
                WHERE funding_round_id IN (SELECT id FROM {t}.funding_rounds);
            CREATE {kind} {t}.valuation_points AS SELECT * FROM {s}.valuation_points WHERE {InScope("company_id")}{On("valued_on")};
            CREATE {kind} {t}.company_events AS SELECT * FROM {s}.company_events WHERE {InScope("company_id")}{On("occurred_on")};
            CREATE {kind} {t}.model_releases AS SELECT * FROM {s}.model_releases WHERE {InScope("company_id")}{On("released_on")};
            """;
        if (mode == AsOfMode.KnowledgeTime)
        {
            // Citations and dispute decisions change what a figure shows (disputed or not, which value was accepted).
            var citationScope = scoped
                ? $"""
                  (record_type = 'Company' AND record_id IN (SELECT id FROM {t}.companies))
                  OR (record_type = 'CompanyRole' AND record_id IN (SELECT id FROM {t}.company_roles))
                  OR (record_type = 'FundingRound' AND record_id IN (SELECT id FROM {t}.funding_rounds))
                  OR (record_type = 'Participation' AND record_id IN (SELECT id FROM {t}.participations))
                  OR (record_type = 'ValuationPoint' AND record_id IN (SELECT id FROM {t}.valuation_points))
                  OR (record_type = 'CompanyEvent' AND record_id IN (SELECT id FROM {t}.company_events))
                  OR (record_type = 'ModelRelease' AND record_id IN (SELECT id FROM {t}.model_releases))
                  OR record_type IS NULL
                  OR record_type NOT IN ('Company', 'CompanyRole', 'FundingRound', 'Participation', 'ValuationPoint',
                                         'CompanyEvent', 'ModelRelease')
                  """
                : "TRUE";
            sql += $"""

                CREATE {kind} {t}.citations AS SELECT * FROM {s}.citations WHERE {citationScope};
                CREATE {kind} {t}.dispute_resolutions AS SELECT * FROM {s}.dispute_resolutions;

                """;
            sql += KeysAndStatistics(t, ("citations", ["record_type, record_id, field"]), ("dispute_resolutions", []));
        }
        // The copies get the keys and indexes the pages' queries and the rollback's look-ups by id rely on, and
        // statistics (new tables are not analyzed yet): without them a whole-landscape view scans for every id.
        sql += "\n" + KeysAndStatistics(t,
            ("companies", []), ("company_roles", ["company_id"]), ("funding_rounds", ["company_id"]),
            ("participations", ["funding_round_id", "investor_id"]), ("valuation_points", ["company_id"]),
            ("company_events", ["company_id"]), ("model_releases", ["company_id"]));
        return sql;
    }

    private static string KeysAndStatistics(string t, params (string Table, string[] IndexedBy)[] copies) =>
        string.Concat(copies.Select(c =>
            $"ALTER TABLE {t}.{c.Table} ADD PRIMARY KEY (id);\n"
            + string.Concat(c.IndexedBy.Select(columns => $"CREATE INDEX ON {t}.{c.Table} ({columns});\n"))
            + $"ANALYZE {t}.{c.Table};\n"));
}

/// <summary>Hands out as-of context factories to pages.</summary>
public sealed class AsOfContexts(IDbContextFactory<AppDbContext> factory, SharedAsOfCopies shared)
{
    /// <summary>
    /// How many as-of copies one instance builds at a time. Each holds its own (unpooled) connection and a
    /// whole-landscape copy takes seconds at scale: more requests wait rather than exhaust the server's connections.
    /// </summary>
    public const int ConcurrentBuilds = 4;

    private readonly SemaphoreSlim _gate = new(ConcurrentBuilds);

    /// <summary>A factory for the view; with slugs, only those companies are rebuilt (a profile, a comparison).</summary>
    public IDbContextFactory<AppDbContext> For(AsOfView view, IReadOnlyCollection<string>? companySlugs = null) =>
        new AsOfDbContextFactory(factory, view, companySlugs, _gate, shared);
}

using AiLandscape.Web.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace AiLandscape.Web.Features.AsOf;

/// <summary>
/// A context that reads the landscape as it stood on a day with ordinary queries (ADR 0033): the same services and
/// the same LINQ as today, on a model whose tables and filters say which rows were there. Nothing is built, copied or
/// set on the session, so it runs on any pooled connection, behind a transaction pooler or on a replica. Read-only.
/// </summary>
public abstract class AsOfDbContext(DbContextOptions<AppDbContext> options, AsOfView view) : AppDbContext(options)
{
    public AsOfView View { get; } = view;

    public override string AsOfKey => View.Query;

    // The filters keep exactly one version (or span) of each row, so a required navigation never loses its target:
    // EF's warning about filtered required ends (logged once per model) does not apply.
    protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) =>
        optionsBuilder.ConfigureWarnings(w =>
            w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));

    public static AsOfDbContext Create(DbContextOptions<AppDbContext> options, AsOfView view)
    {
        AsOfDbContext db = view.Mode == AsOfMode.KnowledgeTime
            ? new KnowledgeTimeDbContext(options, view)
            : new EventTimeDbContext(options, view);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        return db;
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) => throw ReadOnly();

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        throw ReadOnly();

    private static InvalidOperationException ReadOnly() => new("An as-of view is read-only: write through today's context.");
}

/// <summary>
/// Knowledge time: every kept table (<see cref="KeptHistory.Tables"/>) is read from its history, the version that was
/// the database's content at the last instant of the day (UTC). Accounts read as today.
/// </summary>
public sealed class KnowledgeTimeDbContext : AsOfDbContext
{
    /// <summary>As the database stood at the end of the view's day.</summary>
    public KnowledgeTimeDbContext(DbContextOptions<AppDbContext> options, AsOfView view)
        : this(options, view, view.KnowledgeCutoff.UtcDateTime.AddTicks(-TimeSpan.TicksPerMicrosecond))
    {
    }

    /// <summary>As the database stood at one instant (UTC), for rules that read it then (<see cref="HistoryFromAudit"/>).</summary>
    public KnowledgeTimeDbContext(DbContextOptions<AppDbContext> options, DateTime knownAt)
        : this(options, new AsOfView(DateOnly.FromDateTime(knownAt), AsOfMode.KnowledgeTime), knownAt)
    {
    }

    private KnowledgeTimeDbContext(DbContextOptions<AppDbContext> options, AsOfView view, DateTime knownAt) : base(options, view) =>
        KnownAt = knownAt;

    /// <summary>The instant read: for a day, its last instant, to the microsecond PostgreSQL keeps (a version begun at
    /// midnight is the next day's).</summary>
    public DateTime KnownAt { get; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        var kept = builder.Model.GetEntityTypes()
            .Where(t => t.BaseType is null && t.GetTableName() is { } table && KeptHistory.Tables.Contains(table))
            .ToList();
        var filter = typeof(KnowledgeTimeDbContext).GetMethod(nameof(ReadVersionKnownAt),
            System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;
        foreach (var type in kept)
        {
            filter.MakeGenericMethod(type.ClrType).Invoke(this, [builder, KeptHistory.HistoryOf(type.GetTableName()!)]);
        }
    }

    public override async Task<IReadOnlyDictionary<string, string>> SlugsThenAsync<T>(IReadOnlyCollection<string> slugs,
        CancellationToken ct = default) where T : class
    {
        var history = Model.FindEntityType(typeof(T))?.GetTableName();
        var table = KeptHistory.Tables.FirstOrDefault(t => KeptHistory.HistoryOf(t) == history);
        if (table is null || slugs.Count == 0)
        {
            return new Dictionary<string, string>();
        }
        var sql = $"""
            SELECT t.slug AS slug_today, h.slug AS slug_then FROM {table} t JOIN {history} h ON h.id = t.id
            WHERE t.slug = ANY(@slugs) AND h.valid @> @at AND h.slug <> t.slug
            """;
        var renamed = await Database.SqlQueryRaw<Renamed>(sql, new NpgsqlParameter("slugs", slugs.ToArray()), new NpgsqlParameter("at", KnownAt))
            .ToListAsync(ct);
        return renamed.ToDictionary(r => r.SlugToday, r => r.SlugThen);
    }

    private sealed record Renamed(string SlugToday, string SlugThen);

    private void ReadVersionKnownAt<T>(ModelBuilder builder, string history) where T : class
    {
        var entity = builder.Entity<T>();
        entity.ToTable(history); // not ToView: EF Core 10 cannot bind a complex property (the figures) on a view mapping
        entity.Property<NpgsqlRange<DateTime>>("Valid");
        entity.HasQueryFilter(e => EF.Property<NpgsqlRange<DateTime>>(e, "Valid").Contains(KnownAt));
    }
}

/// <summary>
/// Event time: rounds, their participations, valuations, events and model releases dated on or before the day; a
/// company's figures are those of its span holding the day (<see cref="CompanyFigureStep"/>, through the view
/// <c>companies_event_time</c>). Everything else reads as today.
/// </summary>
public sealed class EventTimeDbContext(DbContextOptions<AppDbContext> options, AsOfView view) : AsOfDbContext(options, view)
{
    public DateOnly Day { get; } = view.Date;

    public override bool SameCompaniesAsToday => true;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<FundingRound>().HasQueryFilter(r => r.AnnouncedOn <= Day);
        builder.Entity<Participation>().HasQueryFilter(p => p.FundingRound.AnnouncedOn <= Day);
        builder.Entity<ValuationPoint>().HasQueryFilter(v => v.ValuedOn <= Day);
        builder.Entity<CompanyEvent>().HasQueryFilter(e => e.OccurredOn <= Day);
        builder.Entity<ModelRelease>().HasQueryFilter(m => m.ReleasedOn <= Day);
        builder.Entity<InvestorFigureStep>().HasQueryFilter(s => s.FromOn <= Day && (s.UntilOn == null || Day < s.UntilOn));
        var company = builder.Entity<Company>();
        company.ToTable("companies_event_time"); // a view, mapped as a table: see ReadVersionKnownAt
        company.Property<DateOnly>("FiguresFrom");
        company.Property<DateOnly?>("FiguresUntil");
        company.HasQueryFilter(c => EF.Property<DateOnly>(c, "FiguresFrom") <= Day
            && (EF.Property<DateOnly?>(c, "FiguresUntil") == null || Day < EF.Property<DateOnly?>(c, "FiguresUntil")));
    }
}

/// <summary>Hands out contexts for a view: the seam every read service already takes.</summary>
public sealed class AsOfDbContextFactory(DbContextOptions<AppDbContext> options, AsOfView view) : IDbContextFactory<AppDbContext>
{
    public AppDbContext CreateDbContext() => AsOfDbContext.Create(options, view);

    public Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(CreateDbContext());
}

/// <summary>Hands out as-of context factories to pages and endpoints.</summary>
public sealed class AsOfContexts(DbContextOptions<AppDbContext> options)
{
    public IDbContextFactory<AppDbContext> For(AsOfView view) => new AsOfDbContextFactory(options, view);
}

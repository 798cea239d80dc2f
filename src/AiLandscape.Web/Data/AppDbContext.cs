using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace AiLandscape.Web.Data;

public class AppDbContext(DbContextOptions<AppDbContext> options)
    : IdentityDbContext<AppUser>(options), IDataProtectionKeyContext
{
    public DbSet<Company> Companies => Set<Company>();
    public DbSet<Person> People => Set<Person>();
    public DbSet<CompanyRole> CompanyRoles => Set<CompanyRole>();
    public DbSet<Investor> Investors => Set<Investor>();
    public DbSet<FundingRound> FundingRounds => Set<FundingRound>();
    public DbSet<Participation> Participations => Set<Participation>();
    public DbSet<ValuationPoint> ValuationPoints => Set<ValuationPoint>();
    public DbSet<CompanyEvent> CompanyEvents => Set<CompanyEvent>();
    public DbSet<ModelRelease> ModelReleases => Set<ModelRelease>();
    public DbSet<Source> Sources => Set<Source>();
    public DbSet<Citation> Citations => Set<Citation>();
    public DbSet<ExchangeRate> ExchangeRates => Set<ExchangeRate>();
    public DbSet<DisputeResolution> DisputeResolutions => Set<DisputeResolution>();
    public DbSet<RoundLabelMapping> RoundLabelMappings => Set<RoundLabelMapping>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<SeedHistory> SeedHistory => Set<SeedHistory>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<CompanyFigureStep> CompanyFigureSteps => Set<CompanyFigureStep>();
    public DbSet<InvestorFigureStep> InvestorFigureSteps => Set<InvestorFigureStep>();
    public DbSet<ChangeCounter> ChangeCounter => Set<ChangeCounter>();
    public DbSet<IdempotencyKey> IdempotencyKeys => Set<IdempotencyKey>();

    // Shared Data Protection keys let several app instances read each other's cookies and antiforgery tokens.
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The day and sense an as-of context reads (Features/AsOf), null for today's data.</summary>
    public virtual string? AsOfKey => null;

    /// <summary>
    /// Whether <see cref="Companies"/> holds the companies of today's table, one row each (today, and an event-time
    /// view, where only their figures are of the day): then their number is read from the table alone.
    /// </summary>
    public virtual bool SameCompaniesAsToday => AsOfKey is null;

    /// <summary>
    /// For a profile's address that finds nothing in this context: the slug that the record which has
    /// <paramref name="slug"/> today had in the data this context reads, or null (<see cref="SlugsThenAsync{T}"/>).
    /// </summary>
    public async Task<string?> SlugThenAsync<T>(string slug, CancellationToken ct = default) where T : class =>
        (await SlugsThenAsync<T>([slug], ct)).GetValueOrDefault(slug);

    /// <summary>
    /// For addresses that find nothing in this context: of each slug that a record has today, the slug that record had
    /// in the data this context reads, where it differs. Only a knowledge-time view can differ (a record renamed since
    /// keeps its old slug in the history, ADR 0033): one command there; elsewhere a miss stays a miss, with none.
    /// </summary>
    public virtual Task<IReadOnlyDictionary<string, string>> SlugsThenAsync<T>(IReadOnlyCollection<string> slugs,
        CancellationToken ct = default) where T : class =>
        Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>());

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("pg_trgm");
        builder.HasPostgresExtension("unaccent");
        builder.HasPostgresExtension("fuzzystrmatch");
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        builder.HasDbFunction(typeof(AppDbContext).GetMethod(nameof(FoldAccents))!).HasName("ailandscape_unaccent");
        builder.HasDbFunction(typeof(AppDbContext).GetMethod(nameof(WordDistance))!).HasName("ailandscape_word_distance");
    }

    /// <summary>
    /// PostgreSQL's <c>unaccent</c> through an IMMUTABLE wrapper (<c>ailandscape_unaccent</c>, migration
    /// FoldAccentsOnce): unaccent itself is only STABLE, so on a query parameter it ran once per row and the planner
    /// could not see the folded text to choose an index. The wrapper is folded to a constant when the query is planned.
    /// For use in LINQ queries only.
    /// </summary>
    public static string FoldAccents(string text) => throw new InvalidOperationException("Only for LINQ queries, translated to SQL.");

    /// <summary>
    /// The fewest letters to add, drop or change to turn the query into one word of a search text (Levenshtein,
    /// <c>ailandscape_word_distance</c>, migration TypoSearch): "zhpu" is one from "zhipu", where trigrams see only
    /// 0.4 similarity, as much as an unrelated name shares. For LINQ queries only.
    /// </summary>
    public static int WordDistance(string query, string searchText) => throw new InvalidOperationException("Only for LINQ queries, translated to SQL.");

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // Enums are stored by name: readable in SQL, exports and the audit trail, and safe to reorder.
        builder.Properties<DatePrecision>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<CompanyStatus>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<PersonRoleKind>().HaveConversion<string>().HaveMaxLength(24);
        builder.Properties<InvestorKind>().HaveConversion<string>().HaveMaxLength(32);
        builder.Properties<RoundStage>().HaveConversion<string>().HaveMaxLength(24);
        builder.Properties<Disclosure>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<RoundStatus>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<FigureQualifier>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<ValuationBasis>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<CompanyEventKind>().HaveConversion<string>().HaveMaxLength(24);
        builder.Properties<SourceKind>().HaveConversion<string>().HaveMaxLength(24);
        builder.Properties<RecordType>().HaveConversion<string>().HaveMaxLength(24);
        builder.Properties<AuditAction>().HaveConversion<string>().HaveMaxLength(16);
        builder.Properties<decimal>().HavePrecision(20, 4);
    }
}

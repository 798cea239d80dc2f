namespace AiLandscape.Web.Data;

public class Company : ISearchable
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string NameEn { get; set; }
    public string? NameZh { get; set; }
    public string? Pinyin { get; set; }
    public List<string> LegalNames { get; set; } = [];
    public List<string> Aliases { get; set; } = [];
    public DateOnly? FoundedOn { get; set; }
    public DatePrecision FoundedPrecision { get; set; } = DatePrecision.Year;
    public string? HeadquartersCity { get; set; }
    public string? Website { get; set; }
    public CompanyStatus Status { get; set; }
    public string? ListingVenue { get; set; }
    public string? Ticker { get; set; }
    public DateOnly? ListedOn { get; set; }
    public string? Summary { get; set; }
    public List<string> Sectors { get; set; } = [];
    /// <summary>Informal groups such as "Six Tigers".</summary>
    public List<string> Groups { get; set; } = [];
    /// <summary>All names, lower-cased and unaccented by a database trigger; trigram-indexed for search.</summary>
    public string SearchText { get; private set; } = "";
    /// <summary>Derived figures kept for sorting and filtering in SQL; see CompanyFiguresUpdater.</summary>
    public CompanyFigures Figures { get; set; } = new();
    public uint Version { get; set; }

    public List<CompanyRole> Roles { get; set; } = [];
    public List<FundingRound> Rounds { get; set; } = [];
    public List<ValuationPoint> Valuations { get; set; } = [];
    public List<CompanyEvent> Events { get; set; } = [];
    public List<ModelRelease> Models { get; set; } = [];
}

/// <summary>
/// A company's figures derived from its rounds and valuations, stored so that lists can filter and sort on them in
/// SQL. Recomputed by CompanyFiguresUpdater whenever rounds, valuations or exchange rates change.
/// </summary>
public class CompanyFigures
{
    /// <summary>Sum of counted rounds in USD (a floor when some are ranges or undisclosed); null when none has an amount.</summary>
    public decimal? TotalRaisedUsd { get; set; }
    public bool TotalRaisedIsFloor { get; set; }
    public int RoundCount { get; set; }
    public int UndisclosedRoundCount { get; set; }
    public int InvestorCount { get; set; }
    public DateOnly? LastRoundOn { get; set; }
    /// <summary>How precisely the last round's date is known (that round's announcement precision).</summary>
    public DatePrecision LastRoundPrecision { get; set; } = DatePrecision.Day;
    public decimal? LatestValuationUsd { get; set; }
    public DateOnly? LatestValuationOn { get; set; }
    /// <summary>How precisely the latest valuation's date is known.</summary>
    public DatePrecision LatestValuationPrecision { get; set; } = DatePrecision.Day;
    /// <summary>The latest valuation's qualifier as reported ("about", "over", "under"): the prefix every page shows
    /// before its figure ("~US$4.8B"), as the profile shows it before the reported amount.</summary>
    public FigureQualifier LatestValuationQualifier { get; set; } = FigureQualifier.Exact;
}

/// <summary>
/// A company's figures as they stood over a span of days in event time: counting only the rounds and valuations
/// dated on or before each day. One row per span between two consecutive dates of its rounds and valuations, written by
/// CompanyFiguresUpdater with the stored figures; an as-of view in event time reads the span holding its day.
/// </summary>
public class CompanyFigureStep
{
    public int CompanyId { get; set; }
    /// <summary>The first day of the span (<see cref="DateOnly.MinValue"/> for the span before any dated figure).</summary>
    public DateOnly FromOn { get; set; }
    /// <summary>The day after the span, or null while it lasts.</summary>
    public DateOnly? UntilOn { get; set; }
    public CompanyFigures Figures { get; set; } = new();
}

/// <summary>
/// An investor's figures over a span of days in event time: the rounds dated on or before each day credited to it as
/// <see cref="StoredInvestorFigures"/> counts them (rounds, led rounds, companies). One row per span between two
/// consecutive dates of its credited rounds, from the first; written by InvestorFiguresUpdater with the stored figures.
/// The event-time dashboard reads the span holding its day instead of counting every participation (ADR 0033).
/// </summary>
public class InvestorFigureStep
{
    public int InvestorId { get; set; }
    /// <summary>The date of a credited round: the first day of the span.</summary>
    public DateOnly FromOn { get; set; }
    /// <summary>The date of the next credited round (the day after the span), or null while it lasts.</summary>
    public DateOnly? UntilOn { get; set; }
    public int RoundCount { get; set; }
    public int LeadCount { get; set; }
    public int CompanyCount { get; set; }
}

public class Person : ISearchable
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string NameEn { get; set; }
    public string? NameZh { get; set; }
    /// <summary>The Chinese name in Hanyu Pinyin without tone marks, surname first ("Li Kaifu" for 李开复).</summary>
    public string? Pinyin { get; set; }
    public int? BirthYear { get; set; }
    public string? Bio { get; set; }
    /// <summary>The names and the pinyin, lower-cased and unaccented, with and without hyphens and spaces, by a database
    /// trigger; trigram-indexed for search.</summary>
    public string SearchText { get; private set; } = "";
    public uint Version { get; set; }

    public List<CompanyRole> Roles { get; set; } = [];
}

public class CompanyRole
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public Company Company { get; set; } = null!;
    public int PersonId { get; set; }
    public Person Person { get; set; } = null!;
    public PersonRoleKind Kind { get; set; }
    /// <summary>The title as the source gives it ("CEO", "chairman from Jan 2026").</summary>
    public string? Title { get; set; }
    public DateOnly? StartedOn { get; set; }
    public DateOnly? EndedOn { get; set; }
    public uint Version { get; set; }
}

public class Investor : ISearchable
{
    public int Id { get; set; }
    public required string Slug { get; set; }
    public required string NameEn { get; set; }
    public string? NameZh { get; set; }
    public List<string> Aliases { get; set; } = [];
    public InvestorKind Kind { get; set; }
    public string? Country { get; set; }
    public string? Website { get; set; }
    public string? Summary { get; set; }
    /// <summary>Set when the investor is an individual with a profile of their own.</summary>
    public int? PersonId { get; set; }
    public Person? Person { get; set; }
    /// <summary>All names, lower-cased and unaccented by a database trigger; trigram-indexed for search.</summary>
    public string SearchText { get; private set; } = "";
    /// <summary>A fund or unit belonging to a larger group (Alibaba Cloud → Alibaba).</summary>
    public int? ParentId { get; set; }
    public Investor? Parent { get; set; }
    /// <summary>Derived figures kept for sorting and paging /investors in SQL; see InvestorFiguresUpdater.</summary>
    public StoredInvestorFigures Figures { get; set; } = new();
    public uint Version { get; set; }

    public List<Participation> Participations { get; set; } = [];
}

/// <summary>
/// An investor's figures as /investors lists and sorts them, stored so a page is an index scan: the participations
/// credited to it (its own and its units', InvestorCredit) counted by round, led round and company, its latest
/// investment, and how many units it has. Recomputed by InvestorFiguresUpdater in the transaction of every write that
/// can move them.
/// </summary>
public class StoredInvestorFigures
{
    public int UnitCount { get; set; }
    public int CompanyCount { get; set; }
    public int RoundCount { get; set; }
    public int LeadCount { get; set; }
    /// <summary>The newest announcement date of a credited round; null when none is dated.</summary>
    public DateOnly? LatestInvestmentOn { get; set; }
    /// <summary>How precise that date is (day-precise preferred among rounds of the same date).</summary>
    public DatePrecision LatestInvestmentPrecision { get; set; } = DatePrecision.Day;
}

public class FundingRound
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public Company Company { get; set; } = null!;
    /// <summary>Null when no source dates the round.</summary>
    public DateOnly? AnnouncedOn { get; set; }
    public DatePrecision AnnouncedPrecision { get; set; } = DatePrecision.Day;
    public DateOnly? ClosedOn { get; set; }
    /// <summary>The label exactly as announced: "Pre-B+", "天使轮", "strategic".</summary>
    public string? LabelAsAnnounced { get; set; }
    public RoundStage Stage { get; set; }
    public RoundStatus Status { get; set; }
    public Disclosure Disclosure { get; set; }
    /// <summary>ISO 4217 code of the reported amounts (USD, CNY, HKD).</summary>
    public required string Currency { get; set; }
    public decimal? Amount { get; set; }
    public bool AmountIsApproximate { get; set; }
    public decimal? AmountMin { get; set; }
    public decimal? AmountMax { get; set; }
    /// <summary>The size in the source's words when it gave no number ("hundreds of millions of yuan").</summary>
    public string? AmountText { get; set; }
    public decimal? PostMoneyValuation { get; set; }
    public string? PostMoneyCurrency { get; set; }
    public FigureQualifier PostMoneyQualifier { get; set; }
    public bool PostMoneyIsEstimate { get; set; }
    /// <summary>Kept but out of headline figures: no reliable source backs it.</summary>
    public bool IsUnverified { get; set; }
    public string? Notes { get; set; }
    /// <summary>
    /// Derived, kept by CompanyFiguresUpdater: the USD figure this round adds to a total (the amount, a range's lower
    /// bound) converted as <see cref="Features.Rounds.FundingTotal"/> converts it; null when undisclosed or no rate
    /// exists. The rounds list filters, sorts and adds up on it in SQL.
    /// </summary>
    public decimal? AmountUsd { get; set; }
    /// <summary>Derived with <see cref="AmountUsd"/>: the conversion used a stand-in rate (nearest month, peg).</summary>
    public bool AmountUsdIsApproximate { get; set; }
    public uint Version { get; set; }

    public List<Participation> Participations { get; set; } = [];
}

public class Participation
{
    public int Id { get; set; }
    public int FundingRoundId { get; set; }
    public FundingRound FundingRound { get; set; } = null!;
    public int InvestorId { get; set; }
    public Investor Investor { get; set; } = null!;
    public bool IsLead { get; set; }
    public decimal? Amount { get; set; }
    public string? Currency { get; set; }
    public uint Version { get; set; }
}

public class ValuationPoint
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public Company Company { get; set; } = null!;
    public DateOnly ValuedOn { get; set; }
    public DatePrecision Precision { get; set; }
    public decimal Amount { get; set; }
    public required string Currency { get; set; }
    public FigureQualifier Qualifier { get; set; }
    public ValuationBasis Basis { get; set; }
    public int? FundingRoundId { get; set; }
    public FundingRound? FundingRound { get; set; }
    public bool IsUnverified { get; set; }
    public string? Notes { get; set; }
    public uint Version { get; set; }
}

public class CompanyEvent
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public Company Company { get; set; } = null!;
    public DateOnly OccurredOn { get; set; }
    public DatePrecision Precision { get; set; }
    public CompanyEventKind Kind { get; set; }
    public required string Title { get; set; }
    public string? Summary { get; set; }
    public string? FocusBefore { get; set; }
    public string? FocusAfter { get; set; }
    public uint Version { get; set; }
}

public class ModelRelease : ISearchable
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    public Company Company { get; set; } = null!;
    public required string Name { get; set; }
    public DateOnly? ReleasedOn { get; set; }
    public DatePrecision Precision { get; set; }
    /// <summary>Null when no source says whether weights were published.</summary>
    public bool? OpenWeights { get; set; }
    public string? Licence { get; set; }
    public string? Size { get; set; }
    public string? Modality { get; set; }
    public string? Summary { get; set; }
    /// <summary>The name lower-cased, also with hyphens as spaces and without them ("deepseek r1" finds "DeepSeek-R1"), by a database trigger; trigram-indexed.</summary>
    public string SearchText { get; private set; } = "";
    public uint Version { get; set; }
}

public class Source
{
    public int Id { get; set; }
    /// <summary>Short citation key from the research notes ("M14").</summary>
    public string? Key { get; set; }
    /// <summary>Null for a source known only by title (the undated source article).</summary>
    public string? Url { get; set; }
    public string? Title { get; set; }
    public string? Publisher { get; set; }
    /// <summary>The original publisher when <see cref="Url"/> is a mirror or copy.</summary>
    public string? OriginalPublisher { get; set; }
    public DateOnly? PublishedOn { get; set; }
    public DatePrecision PublishedPrecision { get; set; } = DatePrecision.Day;
    /// <summary>True when the date is inferred from the content ("~2025-03").</summary>
    public bool PublishedOnIsInferred { get; set; }
    public SourceKind Kind { get; set; } = SourceKind.Other;
    /// <summary>BCP 47 language tag of the text ("en", "zh", "de").</summary>
    public string? Language { get; set; }
    public string? Notes { get; set; }
    public uint Version { get; set; }
    /// <summary>Title, publishers, URL and key in one text, kept by PostgreSQL (a stored generated column): what searches match.</summary>
    public string SearchText { get; private set; } = "";

    public List<Citation> Citations { get; set; } = [];
}

/// <summary>
/// Ties a source to a record and, where it matters, to one field and the value that source reported.
/// Two citations of one field with different reported values make that field disputed.
/// A citation with no record is a claim the source makes that no record holds (e.g. a statistic).
/// </summary>
public class Citation
{
    public int Id { get; set; }
    public int SourceId { get; set; }
    public Source Source { get; set; } = null!;
    public RecordType? RecordType { get; set; }
    public int? RecordId { get; set; }
    /// <summary>Property name of the cited field (e.g. "FoundedOn", "Amount").</summary>
    public string? Field { get; set; }
    /// <summary>The value as this source reported it ("2022", "US$4.8B").</summary>
    public string? ReportedValue { get; set; }
    /// <summary>What the source says, in a sentence.</summary>
    public string? Claim { get; set; }
    public bool IsUnverified { get; set; }
    public uint Version { get; set; }
}

/// <summary>
/// An editor's decision on a disputed field (sources report different values): which reported value the record
/// holds and why. The record's own field carries the accepted value, so totals and charts follow it; the other
/// reported values stay as citations. A reported value not among <see cref="ValuesSeen"/> reopens the dispute.
/// </summary>
public class DisputeResolution
{
    public int Id { get; set; }
    public RecordType RecordType { get; set; }
    public int RecordId { get; set; }
    /// <summary>Property name of the disputed field (e.g. "Amount").</summary>
    public required string Field { get; set; }
    /// <summary>The reported value accepted, as its source gave it ("US$1.2B").</summary>
    public required string AcceptedValue { get; set; }
    public int? AcceptedSourceId { get; set; }
    public Source? AcceptedSource { get; set; }
    /// <summary>Why this value, in the editor's words.</summary>
    public required string Reason { get; set; }
    /// <summary>The distinct reported values (trimmed, lower-cased) the editor chose among.</summary>
    public List<string> ValuesSeen { get; set; } = [];
    public DateTimeOffset ResolvedAt { get; set; }
    public string? ResolvedBy { get; set; }
    public uint Version { get; set; }
}

/// <summary>
/// Maps a round label as announced ("天使轮", "Pre-A轮", "strategic") to a standard stage. Editors keep the table;
/// the round form and the CSV import look labels up in it.
/// </summary>
public class RoundLabelMapping
{
    public int Id { get; set; }
    /// <summary>The label as written in announcements.</summary>
    public required string Label { get; set; }
    /// <summary>The label folded for look-up (full-width to ASCII, lower case, no spaces); unique.</summary>
    public required string NormalizedLabel { get; set; }
    public RoundStage Stage { get; set; }
    public string? Notes { get; set; }
    public uint Version { get; set; }
}

public class ExchangeRate
{
    public int Id { get; set; }
    public required string Currency { get; set; }
    /// <summary>First day of the month the average covers.</summary>
    public DateOnly Month { get; set; }
    public decimal UnitsPerUsd { get; set; }
    public int? SourceId { get; set; }
    public Source? Source { get; set; }
    public uint Version { get; set; }
}

public class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    public AuditAction Action { get; set; }
    public RecordType RecordType { get; set; }
    public int RecordId { get; set; }
    /// <summary>Changed fields with old and new values: a jsonb array of {field, old, new}.</summary>
    public string Changes { get; set; } = "[]";
    public long? RevertsEntryId { get; set; }
    /// <summary>All entries written by one save share it: a revert undoes the whole change.</summary>
    public Guid ChangeSetId { get; set; }
    /// <summary>What the change was, in the editor's words ("Added Series B round of Moonshot AI").</summary>
    public string? Summary { get; set; }
    /// <summary>The company whose profile shows this entry in its History tab, if any.</summary>
    public int? CompanyId { get; set; }
}

/// <summary>
/// A personal API token: the API accepts it as "Authorization: Bearer ail_..." in place of the login cookie, with the
/// roles its owner has at that moment. Only a SHA-256 hash is stored; the token is shown once, when created.
/// </summary>
public class ApiToken
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    public AppUser User { get; set; } = null!;
    public required string Name { get; set; }
    /// <summary>Hex SHA-256 of the whole token.</summary>
    public required string TokenHash { get; set; }
    /// <summary>The first characters, so the owner can tell tokens apart.</summary>
    public required string Prefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>One row per seed dataset applied, so a restart never applies it twice.</summary>
public class SeedHistory
{
    public required string Dataset { get; set; }
    public DateTimeOffset AppliedAt { get; set; }
}

/// <summary>
/// One row counting committed audited changes: every <c>AuditedWriter</c> save bumps it in its own transaction, so
/// unlike the last audit id it moves exactly when a committed change becomes visible. Caches are keyed by it.
/// </summary>
public class ChangeCounter
{
    public int Id { get; set; }
    public long Value { get; set; }
}

/// <summary>A record found by name through its trigger-kept <c>search_text</c> (see TextSearch).</summary>
public interface ISearchable
{
    int Id { get; }
    string SearchText { get; }
}

/// <summary>
/// A write API request that carried an <c>Idempotency-Key</c> header and was saved: stored in the save's own
/// transaction, so a retry with the same key (a lost answer, a client that timed out) gets this response back instead
/// of saving twice. Keys are per user. See docs/decisions/0025-least-privilege-and-idempotency.md.
/// </summary>
public class IdempotencyKey
{
    public required string UserId { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of the method, path, query and body: the same key with another request is refused.</summary>
    public required byte[] RequestHash { get; set; }
    public int StatusCode { get; set; }
    public string? Location { get; set; }
    public int? RecordId { get; set; }
    public string? RecordSlug { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Rounds;
using AiLandscape.Web.Features.Sources;

namespace AiLandscape.Web.Features.Companies;

public sealed record CompanyProfile(
    int Id,
    string Slug,
    string NameEn,
    string? NameZh,
    string? Pinyin,
    IReadOnlyList<string> LegalNames,
    IReadOnlyList<string> Aliases,
    DateOnly? FoundedOn,
    DatePrecision FoundedPrecision,
    string? HeadquartersCity,
    string? Website,
    CompanyStatus Status,
    string? ListingVenue,
    string? Ticker,
    DateOnly? ListedOn,
    string? Summary,
    IReadOnlyList<string> Sectors,
    IReadOnlyList<string> Groups,
    IReadOnlyList<PersonView> People,
    IReadOnlyList<RoundView> Rounds,
    IReadOnlyList<ValuationView> Valuations,
    IReadOnlyList<EventView> Events,
    IReadOnlyList<ModelView> Models,
    CitationIndex Citations,
    KeyFigures Figures,
    IReadOnlyList<ChartPointView> FundingCurve,
    IReadOnlyList<ChartPointView> ValuationCurve,
    IReadOnlyList<CompanyGroupView> GroupMembers)
{
    /// <summary>
    /// What sources say about the company without a figure a record could hold ("no IPO plan", revenue, cash): its
    /// own citations with a claim and no field, newest source first.
    /// </summary>
    public IReadOnlyList<CitationView> Statements =>
        Citations.All.Where(c => c.RecordType == RecordType.Company && c.RecordId == Id && c.Field is null && c.Claim is not null)
            .OrderByDescending(c => c.PublishedOn).ThenBy(c => c.SourceId).ToList();
}

/// <summary>A group the company belongs to ("Six Tigers") and the slugs of all its members, this company included.</summary>
public sealed record CompanyGroupView(string Name, IReadOnlyList<string> MemberSlugs);

public sealed record PersonView(string Slug, string NameEn, string? NameZh, string? Bio,
    IReadOnlyList<RoleView> Roles);

public sealed record RoleView(int Id, PersonRoleKind Kind, string? Title, DateOnly? StartedOn, DateOnly? EndedOn);

public sealed record InvestorRef(int ParticipationId, string Slug, string NameEn, string? NameZh, bool IsLead,
    decimal? Amount, string? Currency);

public sealed record RoundView(
    int Id,
    DateOnly? AnnouncedOn,
    DatePrecision AnnouncedPrecision,
    DateOnly? ClosedOn,
    string? Label,
    RoundStage Stage,
    RoundStatus Status,
    Disclosure Disclosure,
    string Currency,
    decimal? Amount,
    bool AmountIsApproximate,
    decimal? AmountMin,
    decimal? AmountMax,
    string? AmountText,
    UsdConversion? AmountUsd,
    decimal? PostMoney,
    string? PostMoneyCurrency,
    FigureQualifier PostMoneyQualifier,
    bool PostMoneyIsEstimate,
    UsdConversion? PostMoneyUsd,
    bool IsUnverified,
    string? Notes,
    IReadOnlyList<InvestorRef> Investors);

public sealed record ValuationView(int Id, DateOnly ValuedOn, DatePrecision Precision, decimal Amount, string Currency,
    FigureQualifier Qualifier, ValuationBasis Basis, int? FundingRoundId, bool IsUnverified, string? Notes,
    UsdConversion? Usd);

public sealed record EventView(int Id, DateOnly OccurredOn, DatePrecision Precision, CompanyEventKind Kind, string Title,
    string? Summary, string? FocusBefore, string? FocusAfter);

public sealed record ModelView(int Id, string Name, DateOnly? ReleasedOn, DatePrecision Precision, bool? OpenWeights,
    string? Licence, string? Size, string? Modality, string? Summary);

public sealed record KeyFigures(
    FundingTotal TotalRaised,
    ValuationView? LatestValuation,
    int RoundCount,
    int InvestorCount,
    RoundView? LastRound);

/// <summary>A point of a chart line: a date and a USD value.</summary>
/// <summary>A point of a chart in US dollars; <paramref name="IsStep"/> marks the corner that draws a cumulative curve as steps.</summary>
public sealed record ChartPointView(DateOnly Date, decimal Usd, DatePrecision Precision = DatePrecision.Day, bool IsStep = false);

using System.Globalization;
using System.Text.Json.Serialization;
using AiLandscape.Web.Components.Shared;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;
using AiLandscape.Web.Features.Sources;

namespace AiLandscape.Web.Features.Investors;

public enum InvestorSort { Name, Kind, Country, Companies, Rounds, Leads, LatestInvestment }

/// <summary>
/// What the /investors list asks for. Every field maps to a URL query parameter (<see cref="InvestorUrl"/>), so a
/// link reproduces the view.
/// </summary>
public sealed record InvestorQuery
{
    public string? Search { get; init; }
    public InvestorKind? Kind { get; init; }
    public InvestorSort Sort { get; init; } = InvestorSort.Name;
    public bool Descending { get; init; }
    /// <summary>Zero-based page index (the URL shows it one-based).</summary>
    public int Page { get; init; }
    public int PageSize { get; init; } = 25;
}

/// <summary>The person an individual investor is (Investor.PersonId), linked to their page.</summary>
public sealed record InvestorPersonLink(string Slug, string NameEn, string? NameZh);

/// <summary>A link to an investor: enough to name it in both scripts.</summary>
public sealed record InvestorLink(int Id, string Slug, string NameEn, string? NameZh, InvestorKind Kind);

/// <summary>
/// One row of the investor list. The figures cover the investor and its units (Alibaba's include Alibaba Cloud's
/// rounds), the same way as on the profile.
/// </summary>
public sealed record InvestorListItem(
    int Id,
    string Slug,
    string NameEn,
    string? NameZh,
    InvestorKind Kind,
    string? Country,
    InvestorLink? Parent,
    int UnitCount,
    int CompanyCount,
    int RoundCount,
    int LeadCount,
    DateOnly? LatestInvestmentOn,
    DatePrecision LatestInvestmentPrecision);

/// <summary>A round's size as reported; an undisclosed round carries no amount at all, never a zero.</summary>
public sealed record RoundSize(
    Disclosure Disclosure,
    string Currency,
    decimal? Amount,
    bool AmountIsApproximate,
    decimal? AmountMin,
    decimal? AmountMax,
    string? AmountText,
    UsdConversion? Usd)
{
    /// <summary>
    /// The one figure to show and how it is qualified: the amount (approximate when estimated), the lower bound of a
    /// range ("&gt;US$1B"), or its upper bound when only that is known; null when nothing was disclosed.
    /// </summary>
    [JsonIgnore]
    public (decimal Amount, FigureQualifier Qualifier)? Headline => Disclosure switch
    {
        Disclosure.Disclosed when Amount is { } a =>
            (a, AmountIsApproximate ? FigureQualifier.Approximate : FigureQualifier.Exact),
        Disclosure.Estimated when Amount is { } a => (a, FigureQualifier.Approximate),
        Disclosure.Range when AmountMin is { } min => (min, FigureQualifier.AtLeast),
        Disclosure.Range when AmountMax is { } max => (max, FigureQualifier.AtMost),
        _ => null,
    };
}

/// <summary>
/// A round the investor (or one of its units) took part in. <c>Via</c> names the units that took part when the
/// investor itself did not (01.AI's November 2023 round, through Alibaba Cloud, on Alibaba's profile).
/// </summary>
public sealed record InvestorRound(
    int RoundId,
    string CompanySlug,
    string CompanyNameEn,
    string? CompanyNameZh,
    DateOnly? AnnouncedOn,
    DatePrecision AnnouncedPrecision,
    string? Label,
    RoundStage Stage,
    RoundStatus Status,
    bool IsUnverified,
    RoundSize Size,
    bool IsLead,
    IReadOnlyList<int> ParticipationIds,
    IReadOnlyList<InvestorLink> Via);

public sealed record PortfolioCompany(string Slug, string NameEn, string? NameZh, IReadOnlyList<InvestorRound> Rounds)
{
    [JsonIgnore]
    public bool LedAny => Rounds.Any(r => r.IsLead);
}

/// <summary>Another investor in the same rounds, with how many rounds (and companies) they shared.</summary>
public sealed record CoInvestor(string Slug, string NameEn, string? NameZh, InvestorKind Kind, int SharedRounds,
    int SharedCompanies);

public sealed record InvestorFigures(
    int CompanyCount,
    int RoundCount,
    int LeadCount,
    DateOnly? FirstInvestmentOn,
    DatePrecision FirstInvestmentPrecision,
    DateOnly? LatestInvestmentOn,
    DatePrecision LatestInvestmentPrecision);

/// <summary>
/// Everything the investor profile shows. Plain records all the way down so that the page can hand the prerendered
/// profile to the interactive circuit (PrerenderHandoff) instead of querying twice.
/// </summary>
public sealed record InvestorProfile(
    int Id,
    string Slug,
    string NameEn,
    string? NameZh,
    IReadOnlyList<string> Aliases,
    InvestorKind Kind,
    string? Country,
    string? Website,
    string? Summary,
    InvestorLink? Parent,
    IReadOnlyList<InvestorLink> Units,
    InvestorPersonLink? Person,
    InvestorFigures Figures,
    IReadOnlyList<PortfolioCompany> Portfolio,
    IReadOnlyList<InvestorRound> Rounds,
    IReadOnlyList<CoInvestor> CoInvestors,
    IReadOnlyList<CitationView> Citations)
{
    private CitationIndex? _index;

    [JsonIgnore]
    public CitationIndex CitationIndex => _index ??= new CitationIndex(Citations);

    /// <summary>The sources of the investor's own record (and its units').</summary>
    [JsonIgnore]
    public IReadOnlyList<CitationView> InvestorSources => Citations
        .Where(c => c.RecordType == RecordType.Investor).DistinctBy(c => c.SourceId).ToList();

    /// <summary>The sources of a round's participation(s) by this investor.</summary>
    public IReadOnlyList<CitationView> ParticipationSources(InvestorRound round) => round.ParticipationIds
        .SelectMany(id => CitationIndex.For(RecordType.Participation, id)).DistinctBy(c => c.SourceId).ToList();

    /// <summary>The sources of a round's size: citations of its amount, or of the round as a whole (not of its date or label).</summary>
    public IReadOnlyList<CitationView> AmountSources(InvestorRound round) =>
        CitationIndex.All.Where(c => c.RecordType == RecordType.FundingRound && c.RecordId == round.RoundId
                                     && c.Field is null or nameof(FundingRound.Amount))
            .DistinctBy(c => c.SourceId).ToList();
}

/// <summary>Readable labels for the values the investor pages show.</summary>
public static class InvestorLabels
{
    public static string Kind(InvestorKind kind) => kind switch
    {
        InvestorKind.VentureCapital => "Venture capital",
        InvestorKind.CorporateStrategic => "Corporate / strategic",
        InvestorKind.StateBackedFund => "State-backed fund",
        InvestorKind.PrivateEquity => "Private equity",
        InvestorKind.Sovereign => "Sovereign fund",
        InvestorKind.Angel => "Angel",
        InvestorKind.ParentCompany => "Parent company",
        _ => "Other",
    };

    /// <summary>
    /// The label as announced, with the standard stage when the label does not already say it:
    /// "expansion (Series C)", "Series A1", "HKEX IPO", "Strategic", "Unnamed round".
    /// </summary>
    public static string Round(string? label, RoundStage stage)
    {
        var standard = Format.Stage(stage);
        if (string.IsNullOrWhiteSpace(label))
        {
            return stage == RoundStage.Unnamed ? "Unnamed round" : standard;
        }
        label = label.Trim();
        return stage == RoundStage.Unnamed || label.Contains(standard, StringComparison.OrdinalIgnoreCase)
            ? label
            : $"{label} ({standard})";
    }

    /// <summary>"1 company", "3 companies".</summary>
    public static string Companies(int count) => count == 1 ? "1 company" : $"{count} companies";

    /// <summary>"China", "Saudi Arabia"; the code itself when it is not a known region.</summary>
    public static string Country(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            return "—";
        }
        try
        {
            return new RegionInfo(code.Trim()).EnglishName;
        }
        catch (ArgumentException)
        {
            return code.Trim();
        }
    }
}

/// <summary>The /investors query string: q, kind, sort and page, and back.</summary>
public static class InvestorUrl
{
    public const string Path = "/investors";

    /// <summary>"state-backed-fund" for <see cref="InvestorKind.StateBackedFund"/>.</summary>
    public static string KindKey(InvestorKind kind) => Kebab(kind.ToString());

    public static InvestorKind? ParseKind(string? value) => string.IsNullOrWhiteSpace(value)
        ? null
        : Enum.GetValues<InvestorKind>().Cast<InvestorKind?>()
            .FirstOrDefault(k => KindKey(k!.Value) == value.Trim().ToLowerInvariant()
                                 || string.Equals(k!.Value.ToString(), value.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The column keys MudTableSortLabel reports and the URL carries ("rounds", "latest-investment").</summary>
    public static string SortKey(InvestorSort sort) => Kebab(sort.ToString());

    public static InvestorSort? ParseSortKey(string? key) => string.IsNullOrWhiteSpace(key)
        ? null
        : Enum.GetValues<InvestorSort>().Cast<InvestorSort?>().FirstOrDefault(s => SortKey(s!.Value) == key);

    /// <summary>The query a URL asks for; anything unknown falls back to the default.</summary>
    public static InvestorQuery Parse(string? q, string? kind, string? sort, int? page)
    {
        var (sortKey, descending) = sort?.Trim().ToLowerInvariant() switch
        {
            { } s when s.EndsWith("-desc", StringComparison.Ordinal) => (s[..^"-desc".Length], true),
            var s => (s, false),
        };
        var parsedSort = ParseSortKey(sortKey);
        return new InvestorQuery
        {
            Search = string.IsNullOrWhiteSpace(q) ? null : q,
            Kind = ParseKind(kind),
            Sort = parsedSort ?? InvestorSort.Name,
            Descending = parsedSort is not null && descending,
            Page = page is > 1 ? page.Value - 1 : 0,
        };
    }

    /// <summary>The query parameters of a view; defaults are left out so the plain /investors stays plain.</summary>
    public static IReadOnlyDictionary<string, object?> Parameters(InvestorQuery query) => new Dictionary<string, object?>
    {
        ["q"] = string.IsNullOrWhiteSpace(query.Search) ? null : query.Search,
        ["kind"] = query.Kind is { } k ? KindKey(k) : null,
        ["sort"] = query is { Sort: InvestorSort.Name, Descending: false }
            ? null
            : SortKey(query.Sort) + (query.Descending ? "-desc" : ""),
        ["page"] = query.Page > 0 ? query.Page + 1 : null,
    };

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((ch, i) => char.IsUpper(ch) && i > 0 ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));
}

using AiLandscape.Web.Features.Sources;
using System.Globalization;
using AiLandscape.Web.Data;
using AiLandscape.Web.Features.ExchangeRates;

namespace AiLandscape.Web.Features.Rounds;

public enum RoundSort { Date, Company, Stage, Amount }

/// <summary>
/// What the rounds list shows: filters, sort and page. Every value round-trips through the query string
/// (<see cref="ToQueryParameters"/> / <see cref="FromQueryString"/>) so that a link reproduces the view.
/// </summary>
public sealed record RoundQuery
{
    public const int DefaultPageSize = 25;
    public static readonly int[] PageSizes = [10, 25, 50, 100];

    /// <summary>Announced on or after; rounds with no reported date drop out once a date bound is set.</summary>
    public DateOnly? From { get; init; }
    public DateOnly? To { get; init; }
    public IReadOnlyList<RoundStage> Stages { get; init; } = [];
    /// <summary>Lower bound of the round's size in millions of US dollars (a range is compared by its minimum).</summary>
    public decimal? MinUsdMillions { get; init; }
    public decimal? MaxUsdMillions { get; init; }
    public IReadOnlyList<Disclosure> Disclosures { get; init; } = [];
    /// <summary>Company name in any script, pinyin or alias.</summary>
    public string? Company { get; init; }
    /// <summary>Name of any participating investor.</summary>
    public string? Investor { get; init; }
    public IReadOnlyList<string> Currencies { get; init; } = [];
    public RoundSort Sort { get; init; } = RoundSort.Date;
    public bool Descending { get; init; } = true;
    /// <summary>Zero-based.</summary>
    public int Page { get; init; }
    public int PageSize { get; init; } = DefaultPageSize;

    public bool HasAmountFilter => MinUsdMillions is not null || MaxUsdMillions is not null;

    public bool HasFilters => From is not null || To is not null || Stages.Count > 0 || HasAmountFilter ||
                              Disclosures.Count > 0 || !string.IsNullOrWhiteSpace(Company) ||
                              !string.IsNullOrWhiteSpace(Investor) || Currencies.Count > 0;

    /// <summary>The same view with no filters, keeping sort and page size.</summary>
    public RoundQuery WithoutFilters() => new() { Sort = Sort, Descending = Descending, PageSize = PageSize };

    /// <summary>Identifies the filtered set (not its order or page): a change means "back to the first page".</summary>
    public string FilterKey => KeyOf(ToQueryParameters().Where(p => p.Key is not ("sort" or "dir" or "page" or "size")));

    /// <summary>Identifies the whole view: two queries with the same key show the same rows.</summary>
    public string Key => KeyOf(ToQueryParameters());

    private static string KeyOf(IEnumerable<KeyValuePair<string, object?>> parameters) => string.Join("&", parameters
        .Where(p => p.Value is not null)
        .Select(p => p.Key + "=" + (p.Value is string[] a ? string.Join(",", a) : Convert.ToString(p.Value, CultureInfo.InvariantCulture))));

    /// <summary>
    /// Query-string parameters for <c>NavigationManager.GetUriWithQueryParameters</c>: null removes a parameter,
    /// so defaults stay out of the address; arrays become repeated parameters; pages are one-based.
    /// </summary>
    public IReadOnlyDictionary<string, object?> ToQueryParameters() => new Dictionary<string, object?>
    {
        ["from"] = From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["to"] = To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["stage"] = Stages.Count == 0 ? null : Stages.Select(s => s.ToString()).ToArray(),
        ["min"] = MinUsdMillions?.ToString(CultureInfo.InvariantCulture),
        ["max"] = MaxUsdMillions?.ToString(CultureInfo.InvariantCulture),
        ["disclosure"] = Disclosures.Count == 0 ? null : Disclosures.Select(d => d.ToString()).ToArray(),
        ["company"] = string.IsNullOrWhiteSpace(Company) ? null : Company.Trim(),
        ["investor"] = string.IsNullOrWhiteSpace(Investor) ? null : Investor.Trim(),
        ["currency"] = Currencies.Count == 0 ? null : Currencies.ToArray(),
        ["sort"] = Sort == RoundSort.Date ? null : Sort.ToString().ToLowerInvariant(),
        ["dir"] = Descending == DefaultDescending(Sort) ? null : Descending ? "desc" : "asc",
        ["page"] = Page == 0 ? null : (Page + 1).ToString(CultureInfo.InvariantCulture),
        ["size"] = PageSize == DefaultPageSize ? null : PageSize.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Reads the values a page receives from the query string; anything unreadable is ignored, not an error.</summary>
    public static RoundQuery FromQueryString(string? from, string? to, string[]? stage, string? min, string? max,
        string[]? disclosure, string? company, string? investor, string[]? currency, string? sort, string? dir,
        string? page, string? size)
    {
        var sortBy = Enum.TryParse<RoundSort>(sort, ignoreCase: true, out var s) ? s : RoundSort.Date;
        return new RoundQuery
        {
            From = ParseDate(from),
            To = ParseDate(to),
            Stages = ParseEnums<RoundStage>(stage),
            MinUsdMillions = ParseDecimal(min),
            MaxUsdMillions = ParseDecimal(max),
            Disclosures = ParseEnums<Disclosure>(disclosure),
            Company = string.IsNullOrWhiteSpace(company) ? null : company.Trim(),
            Investor = string.IsNullOrWhiteSpace(investor) ? null : investor.Trim(),
            Currencies = (currency ?? [])
                .Select(c => c.Trim().ToUpperInvariant())
                .Where(c => c.Length == 3 && c.All(char.IsAsciiLetterUpper))
                .Distinct().Order().ToList(),
            Sort = sortBy,
            Descending = dir switch
            {
                "asc" => false,
                "desc" => true,
                _ => DefaultDescending(sortBy),
            },
            Page = int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 1 ? p - 1 : 0,
            PageSize = int.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && PageSizes.Contains(n)
                ? n : DefaultPageSize,
        };
    }

    /// <summary>Newest and largest first; names and stages in their natural order.</summary>
    public static bool DefaultDescending(RoundSort sort) => sort is RoundSort.Date or RoundSort.Amount;

    private static DateOnly? ParseDate(string? s) =>
        DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static decimal? ParseDecimal(string? s) =>
        decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static List<T> ParseEnums<T>(string[]? values) where T : struct, Enum =>
        (values ?? [])
            .Select(v => Enum.TryParse<T>(v, ignoreCase: true, out var e) && Enum.IsDefined(e) ? e : (T?)null)
            .OfType<T>().Distinct().Order().ToList();
}

public sealed record RoundInvestor(string Slug, string NameEn, string? NameZh);

/// <summary>A round's size as reported, with USD equivalents at the rate of the round's month.</summary>
/// <param name="AmountText">The size in the source's words when it gave no number.</param>
public sealed record RoundSize(
    Disclosure Disclosure,
    string Currency,
    decimal? Amount,
    bool AmountIsApproximate,
    decimal? AmountMin,
    decimal? AmountMax,
    string? AmountText,
    UsdConversion? AmountUsd,
    UsdConversion? MinUsd,
    UsdConversion? MaxUsd);

public sealed record PostMoneyFigure(
    decimal Amount,
    string Currency,
    FigureQualifier Qualifier,
    bool IsEstimate,
    UsdConversion? Usd);

/// <param name="ComparableUsd">
/// The USD figure the list filters and sorts on, computed in SQL: the amount, or a range's minimum, over the rate of
/// the round's month. Null for undisclosed rounds and ranges with no lower bound.
/// </param>
public sealed record RoundListItem(
    int Id,
    string CompanySlug,
    string CompanyNameEn,
    string? CompanyNameZh,
    DateOnly? AnnouncedOn,
    DatePrecision AnnouncedPrecision,
    string? LabelAsAnnounced,
    RoundStage Stage,
    RoundStatus Status,
    bool IsUnverified,
    RoundSize Size,
    PostMoneyFigure? PostMoney,
    IReadOnlyList<RoundInvestor> Leads,
    IReadOnlyList<RoundInvestor> OtherInvestors,
    decimal? ComparableUsd)
{
    /// <summary>The round's sources, each citation with the field it speaks to (and its dispute resolution, if any).</summary>
    public IReadOnlyList<CitationView> Citations { get; init; } = [];
}

/// <summary>
/// One page of rounds, the size of the whole filtered set, and its total: <see cref="Total"/> adds only the rounds
/// that count towards "total raised" (see <c>CompanyService.CountedRounds</c>); the others are
/// <see cref="NotAddedCount"/>. <see cref="Page"/> is the page actually shown (a page past the end shows the last).
/// </summary>
public sealed record RoundListResult(
    IReadOnlyList<RoundListItem> Items,
    int TotalCount,
    FundingTotal Total,
    int NotAddedCount,
    int Page);

public sealed record RoundFilterOptions(IReadOnlyList<string> Currencies);

/// <summary>
/// What one company raised over the rounds a /rounds filter set selects (typically a period): the rounds that count
/// towards "total raised" added in US dollars at each round's own rate, undisclosed ones counted apart (never as 0).
/// </summary>
public sealed record CompanyFunding(
    string Slug,
    string NameEn,
    string? NameZh,
    int Rounds,
    int Counted,
    int Undisclosed,
    int Unconverted,
    int Ranges,
    decimal? Usd)
{
    /// <summary>The figure is a floor: some counted rounds add nothing (undisclosed, no rate) or only a range's lower bound.</summary>
    public bool IsLowerBound => Undisclosed > 0 || Unconverted > 0 || Ranges > 0;

    /// <summary>Rounds listed but not added: still being raised, unverified, IPOs.</summary>
    public int NotAdded => Rounds - Counted;
}

/// <summary>
/// Funding by company for a filter set, in <see cref="Currency"/>: US dollars, or another currency converted from the
/// dollar total at <see cref="Rate"/>, the average of that currency's stored monthly rates over the period.
/// </summary>
public sealed record CompanyFundingResult(
    IReadOnlyList<CompanyFunding> Companies,
    int CompanyCount,
    string Currency,
    decimal? Rate,
    int RateMonths,
    IReadOnlyList<string> Currencies)
{
    public const int MaxCompanies = 100;

    public decimal? InCurrency(decimal? usd) => usd is not { } u ? null : Currency == "USD" ? u : Rate is { } r ? u * r : null;
}
